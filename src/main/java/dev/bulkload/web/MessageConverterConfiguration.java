package dev.bulkload.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.http.converter.xml.Jaxb2RootElementHttpMessageConverter;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The service answers JSON (and problem+json) only: the JAXB converter, registered because an API
 * library brings {@code jakarta.xml.bind} along, is dropped. It never wrote an answer here, yet every
 * answer asked it whether it could, scanning the body's class for {@code @XmlRootElement}.
 */
@Configuration(proxyBeanMethods = false)
class MessageConverterConfiguration implements WebMvcConfigurer {

    @Override
    public void configureMessageConverters(HttpMessageConverters.ServerBuilder builder) {
        builder.configureMessageConvertersList(
                (converters) -> converters.removeIf(Jaxb2RootElementHttpMessageConverter.class::isInstance));
    }
}
