package dev.bulkload.catalog;

import java.util.List;
import java.util.regex.Pattern;

/** Decides from the include/exclude patterns whether a table may be loaded; the service's own schema never may. */
final class TableAllowList {

    static final String OWN_SCHEMA = "bulkload";

    private final List<Pattern> include;

    private final List<Pattern> exclude;

    TableAllowList(TablesProperties properties) {
        this.include = properties.include().stream().map(TableAllowList::compile).toList();
        this.exclude = properties.exclude().stream().map(TableAllowList::compile).toList();
    }

    boolean allows(String schema, String table) {
        if (schema.equals(OWN_SCHEMA)) {
            return false;
        }
        String qualified = schema + "." + table;
        return this.include.stream().anyMatch((p) -> p.matcher(qualified).matches())
                && this.exclude.stream().noneMatch((p) -> p.matcher(qualified).matches());
    }

    private static Pattern compile(String glob) {
        StringBuilder regex = new StringBuilder();
        for (String literal : glob.split("((?<=[*?])|(?=[*?]))")) {
            switch (literal) {
                case "*" -> regex.append(".*");
                case "?" -> regex.append('.');
                default -> regex.append(Pattern.quote(literal));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
