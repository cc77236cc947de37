package dev.bulkload.mapping;

import java.util.HashMap;
import java.util.Map;

/**
 * A step of the JSON Pointers that read inside one top-level field, as a tree: the pointers {@code /user/id} and
 * {@code /user/tags/0} share the node of {@code /user}. A node where a pointer ends names its column.
 */
public final class PointerNode {

    private String pointer;

    private final Map<String, PointerNode> children = new HashMap<>();

    private int column = -1;

    private int maxIndex = -1;

    PointerNode(String pointer) {
        this.pointer = pointer;
    }

    /** The pointer that leads here, as written by the map entry that ends here: for messages and conflicts. */
    public String pointer() {
        return this.pointer;
    }

    /** The column the value here loads into, or -1 when no pointer ends here. */
    public int column() {
        return this.column;
    }

    public boolean hasChildren() {
        return !this.children.isEmpty();
    }

    /** The step for an object's key, or null when no pointer goes there. */
    public PointerNode child(String key) {
        return this.children.get(key);
    }

    /** The step for an array's element, or null when no pointer goes there. */
    public PointerNode element(int index) {
        return (index > this.maxIndex) ? null : this.children.get(Integer.toString(index));
    }

    PointerNode add(String token, String pointer) {
        int index = JsonPointer.index(token);
        if (index > this.maxIndex) {
            this.maxIndex = index;
        }
        return this.children.computeIfAbsent(token, (key) -> new PointerNode(pointer));
    }

    /** A pointer ends here; it names the node from now on (its text as written, escapes and all). */
    void end(int column, String pointer) {
        this.column = column;
        this.pointer = pointer;
    }
}
