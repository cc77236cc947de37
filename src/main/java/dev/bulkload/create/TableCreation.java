package dev.bulkload.create;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What a load with {@code create=true} asks for: the table is made from the payload when it does not exist.
 * @param sampleRows how many records the column types are inferred from
 * @param types the {@code types=} overrides, in the order given
 */
public record TableCreation(int sampleRows, List<TypeOverride> types) {

    public TableCreation {
        types = List.copyOf(types);
    }

    /** The options as text for an Idempotency-Key's fingerprint. */
    public String writtenOptions() {
        return "create=true\nsampleRows=" + this.sampleRows
                + this.types.stream().map((type) -> "\ntypes=" + type.text()).collect(Collectors.joining());
    }
}
