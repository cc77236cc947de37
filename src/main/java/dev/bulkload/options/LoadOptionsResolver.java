package dev.bulkload.options;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Reads a load's {@link LoadOptions} from the query straight into the record. Spring's data binder would do the
 * same, but it parses the record constructor's annotations (the OpenAPI descriptions) again on every request,
 * which cost a 10-row load almost half its CPU time. A value that is not a number or a boolean is an
 * {@link InvalidLoadRequestException} naming the parameter; so is a name no load knows or one given twice
 * ({@link LoadParameters}), before anything of the body is read.
 */
@Configuration(proxyBeanMethods = false)
public class LoadOptionsResolver implements HandlerMethodArgumentResolver, WebMvcConfigurer {

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(this);
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == LoadOptions.class;
    }

    @Override
    public LoadOptions resolveArgument(MethodParameter parameter, ModelAndViewContainer container,
            NativeWebRequest webRequest, WebDataBinderFactory binders) {
        HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
        LoadParameters.requireKnown(FormFieldsRequest.lists(request.getParameterMap()), "parameter", List.of());
        return bind(request);
    }

    /**
     * The options among the request's parameters (query parameters, and an upload's form fields), read from its
     * parameter map once: each {@code getParameter} of a firewalled request checks the name again, and a load
     * looked up twenty of them.
     */
    public static LoadOptions bind(HttpServletRequest request) {
        Map<String, String[]> parameters = request.getParameterMap();
        return new LoadOptions(first(parameters, "mode"), first(parameters, "key"), first(parameters, "method"),
                bool(parameters, "atomic"), first(parameters, "onError"), integer(parameters, "maxErrors"),
                integer(parameters, "batchSize"), bool(parameters, "dryRun"), bool(parameters, "header"),
                first(parameters, "delimiter"), first(parameters, "quote"), first(parameters, "null"),
                first(parameters, "columns"), first(parameters, "recordsPath"), first(parameters, "dateStyle"),
                first(parameters, "charset"), first(parameters, "overriding"), list(parameters, "map"),
                first(parameters, "unknownFields"), first(parameters, "match"), bool(parameters, "create"),
                integer(parameters, "sampleRows"), list(parameters, "types"), integer(parameters, "parallel"));
    }

    /** A parameter's first value, as {@code getParameter} answers; null when absent. */
    private static String first(Map<String, String[]> parameters, String name) {
        String[] values = parameters.get(name);
        return (values != null && values.length > 0) ? values[0] : null;
    }

    /** A repeatable parameter's values in the order given, null when absent. */
    private static List<String> list(Map<String, String[]> parameters, String name) {
        String[] values = parameters.get(name);
        return (values != null) ? List.of(values) : null;
    }

    private static Integer integer(Map<String, String[]> parameters, String name) {
        String value = first(parameters, name);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(value.trim());
        }
        catch (NumberFormatException ex) {
            throw new InvalidLoadRequestException(name, name + " must be a whole number");
        }
    }

    /** As Spring converts booleans: true, on, yes, 1 or false, off, no, 0, any case; empty is absent. */
    private static Boolean bool(Map<String, String[]> parameters, String name) {
        String value = first(parameters, name);
        if (value == null || value.isBlank()) {
            return null;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "on", "yes", "1" -> Boolean.TRUE;
            case "false", "off", "no", "0" -> Boolean.FALSE;
            default -> throw new InvalidLoadRequestException(name, name + " must be true or false");
        };
    }
}
