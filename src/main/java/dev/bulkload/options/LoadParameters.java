package dev.bulkload.options;

import java.lang.reflect.Constructor;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.web.bind.annotation.BindParam;

import dev.bulkload.body.LoadFormat;

/**
 * The parameters a load accepts, in one place, and the rule that a load's query parameters and form fields are
 * only those: an unknown name (with the closest known one), a name given twice, or an option of another payload
 * format is a 400 naming it, never ignored. Every component of {@link LoadOptions} is known by its binding name,
 * applies to the formats its {@link OnlyFor} names (every format without one) and repeats when it is a list or an
 * array; the parameters announced for loads whose components are not in the record yet are known too.
 */
public final class LoadParameters {

    private static final Map<String, Known> KNOWN = derive();

    private LoadParameters() {
    }

    /**
     * A parameter a load accepts.
     * @param name its name as sent
     * @param formats the payload formats it applies to; empty for every format
     * @param repeatable whether it may be given more than once
     */
    record Known(String name, Set<LoadFormat> formats, boolean repeatable) {

        Known {
            formats = Set.copyOf(formats);
        }

        boolean appliesTo(LoadFormat format) {
            return this.formats.isEmpty() || this.formats.contains(format);
        }
    }

    /** Every parameter a load accepts, by name, in the order of {@link LoadOptions}. */
    static Map<String, Known> known() {
        return KNOWN;
    }

    private static Map<String, Known> derive() {
        RecordComponent[] components = LoadOptions.class.getRecordComponents();
        Constructor<LoadOptions> canonical;
        try {
            canonical = LoadOptions.class.getDeclaredConstructor(
                    Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
        }
        catch (NoSuchMethodException ex) {
            throw new IllegalStateException("A record has its canonical constructor", ex);
        }
        // a component's annotations reach the parameters of the implicit canonical constructor
        Parameter[] parameters = canonical.getParameters();
        Map<String, Known> known = new LinkedHashMap<>();
        for (int i = 0; i < components.length; i++) {
            BindParam bound = parameters[i].getAnnotation(BindParam.class);
            OnlyFor only = parameters[i].getAnnotation(OnlyFor.class);
            String name = (bound != null) ? bound.value() : components[i].getName();
            Set<LoadFormat> formats = (only != null) ? EnumSet.copyOf(Arrays.asList(only.value())) : Set.of();
            Class<?> type = components[i].getType();
            known.put(name, new Known(name, formats, type.isArray() || Collection.class.isAssignableFrom(type)));
        }
        return Collections.unmodifiableMap(known);
    }

    /**
     * Refuses a name no load knows, and a name given more than once that does not repeat.
     * @param given names to the values given, query parameters or form fields
     * @param what how the client gave them, for the problem: "parameter", "form field"
     * @param others names that are not parameters but are allowed where these were given (the file part of an
     * upload), suggested like parameters
     * @throws InvalidLoadRequestException naming the first such parameter
     */
    static void requireKnown(Map<String, ? extends Collection<String>> given, String what, Collection<String> others) {
        Map<String, Known> known = known();
        for (Map.Entry<String, ? extends Collection<String>> entry : given.entrySet()) {
            String name = entry.getKey();
            Known parameter = known.get(name);
            if (parameter == null) {
                List<String> candidates = new ArrayList<>(known.keySet());
                candidates.addAll(others);
                String closest = ClosestName.among(name, candidates);
                throw new InvalidLoadRequestException(name, "Unknown " + what + " '" + name + "'"
                        + ((closest != null) ? ": did you mean '" + closest + "'?"
                                : "; a load takes " + String.join(", ", known.keySet())));
            }
            if (!parameter.repeatable() && entry.getValue().size() > 1) {
                throw new InvalidLoadRequestException(name, name + " is given " + entry.getValue().size()
                        + " times; give it once");
            }
        }
    }

    /**
     * Refuses an option that does not apply to the payload's format, which could only be ignored.
     * @throws InvalidLoadRequestException naming the first such option
     */
    public static void requireApplicable(Collection<String> names, LoadFormat format) {
        for (String name : names) {
            Known parameter = known().get(name);
            if (parameter != null && !parameter.appliesTo(format)) {
                String formats = parameter.formats()
                    .stream()
                    .sorted()
                    .map(LoadParameters::describe)
                    .collect(Collectors.joining(" and "));
                throw new InvalidLoadRequestException(name, name + " is an option of " + formats + " payloads only, "
                        + "and this payload is " + describe(format));
            }
        }
    }

    private static String describe(LoadFormat format) {
        return switch (format) {
            case CSV -> "CSV";
            case JSON -> "JSON array";
            case NDJSON -> "NDJSON";
        };
    }
}
