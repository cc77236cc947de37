package dev.bulkload.options;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.bulkload.body.LoadFormat;

/**
 * Marks a {@link LoadOptions} component as an option of some payload formats only: given with another format it is
 * refused (400), since it could only be ignored there.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
@interface OnlyFor {

    /** The formats the option applies to. */
    LoadFormat[] value();
}
