package dev.bulkload.options;

import java.util.List;
import java.util.Locale;

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

    /** The options among the request's parameters (query parameters, and an upload's form fields). */
    public static LoadOptions bind(HttpServletRequest request) {
        return new LoadOptions(request.getParameter("mode"), request.getParameter("key"), request.getParameter("method"),
                bool(request, "atomic"), request.getParameter("onError"), integer(request, "maxErrors"),
                integer(request, "batchSize"), bool(request, "dryRun"), bool(request, "header"),
                request.getParameter("delimiter"), request.getParameter("quote"), request.getParameter("null"),
                request.getParameter("columns"), request.getParameter("recordsPath"),
                request.getParameter("dateStyle"), request.getParameter("charset"),
                request.getParameter("overriding"), list(request, "map"), request.getParameter("unknownFields"),
                request.getParameter("match"), bool(request, "create"), integer(request, "sampleRows"),
                list(request, "types"), integer(request, "parallel"));
    }

    /** A repeatable parameter's values in the order given, null when absent. */
    private static List<String> list(HttpServletRequest request, String name) {
        String[] values = request.getParameterValues(name);
        return (values != null) ? List.of(values) : null;
    }

    private static Integer integer(HttpServletRequest request, String name) {
        String value = request.getParameter(name);
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
    private static Boolean bool(HttpServletRequest request, String name) {
        String value = request.getParameter(name);
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
