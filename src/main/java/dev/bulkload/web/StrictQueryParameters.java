package dev.bulkload.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springdoc.core.annotations.ParameterObject;

import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import dev.bulkload.options.ClosestName;

/**
 * Refuses a query parameter that an API endpoint does not take (a misspelt filter would otherwise list every load):
 * 400 invalid-parameter naming it and the closest one the endpoint takes. An endpoint's parameters are its
 * {@code @RequestParam}s; the load endpoint, whose options are a parameter object with form fields besides,
 * checks its own.
 */
@Configuration(proxyBeanMethods = false)
class StrictQueryParameters implements HandlerInterceptor, WebMvcConfigurer {

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/api/**");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (request.getDispatcherType() != DispatcherType.REQUEST || !(handler instanceof HandlerMethod method)
                || !method.getBeanType().getPackageName().startsWith("dev.bulkload")) {
            return true;
        }
        List<String> taken = new ArrayList<>();
        for (MethodParameter parameter : method.getMethodParameters()) {
            if (parameter.hasParameterAnnotation(ParameterObject.class)) {
                return true;
            }
            RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
            if (param != null) {
                if (Map.class.isAssignableFrom(parameter.getParameterType())) {
                    return true;
                }
                taken.add(!param.name().isEmpty() ? param.name() : parameter.getParameterName());
            }
        }
        for (String name : request.getParameterMap().keySet()) {
            if (!taken.contains(name)) {
                String closest = ClosestName.among(name, taken);
                throw new UnknownParameterException(name, "Unknown parameter '" + name + "'"
                        + ((closest != null) ? ": did you mean '" + closest + "'?"
                                : taken.isEmpty() ? "; this endpoint takes no parameters"
                                        : "; this endpoint takes " + String.join(", ", taken)));
            }
        }
        return true;
    }

    /** A query parameter the endpoint does not take. */
    static final class UnknownParameterException extends RuntimeException {

        private final String parameter;

        UnknownParameterException(String parameter, String message) {
            super(message);
            this.parameter = parameter;
        }

        String parameter() {
            return this.parameter;
        }
    }
}
