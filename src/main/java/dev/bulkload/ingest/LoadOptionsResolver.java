package dev.bulkload.ingest;

import java.util.List;

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
 * {@link InvalidLoadRequestException} naming the parameter (see {@link LoadOptions#from}).
 */
@Configuration(proxyBeanMethods = false)
class LoadOptionsResolver implements HandlerMethodArgumentResolver, WebMvcConfigurer {

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
            NativeWebRequest request, WebDataBinderFactory binders) {
        return LoadOptions.from(request::getParameterValues);
    }
}
