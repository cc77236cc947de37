package dev.bulkload.options;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import dev.bulkload.body.MultipartUpload;

/**
 * An upload's request with the form fields before its file part as parameters beside the query's: the options
 * bind from both alike ({@link LoadOptionsResolver#bind}), a query parameter first when a name is in both.
 */
public final class FormFieldsRequest extends HttpServletRequestWrapper {

    private final Map<String, String[]> parameters;

    private FormFieldsRequest(HttpServletRequest request, Map<String, String[]> parameters) {
        super(request);
        this.parameters = parameters;
    }

    /**
     * The request with {@code fields} as parameters.
     * @throws InvalidLoadRequestException for a field no load knows, and for a name given more than once (in the
     * query and the form together) that does not repeat
     */
    public static HttpServletRequest of(HttpServletRequest request, Map<String, List<String>> fields) {
        if (fields.isEmpty()) {
            return request;
        }
        LoadParameters.requireKnown(fields, "form field", List.of(MultipartUpload.FILE_PART));
        Map<String, List<String>> merged = new LinkedHashMap<>(lists(request.getParameterMap()));
        fields.forEach((name, values) -> {
            List<String> all = new ArrayList<>(merged.getOrDefault(name, List.of()));
            all.addAll(values);
            merged.put(name, all);
        });
        LoadParameters.requireKnown(merged, "parameter", List.of());
        Map<String, String[]> parameters = new LinkedHashMap<>();
        merged.forEach((name, values) -> parameters.put(name, values.toArray(String[]::new)));
        return new FormFieldsRequest(request, Collections.unmodifiableMap(parameters));
    }

    /** Servlet parameters as lists. */
    static Map<String, List<String>> lists(Map<String, String[]> parameters) {
        Map<String, List<String>> lists = new LinkedHashMap<>();
        parameters.forEach((name, values) -> lists.put(name, Arrays.asList(values)));
        return lists;
    }

    @Override
    public String getParameter(String name) {
        String[] values = this.parameters.get(name);
        return (values != null && values.length > 0) ? values[0] : null;
    }

    @Override
    public String[] getParameterValues(String name) {
        String[] values = this.parameters.get(name);
        return (values != null) ? values.clone() : null;
    }

    @Override
    public Map<String, String[]> getParameterMap() {
        return this.parameters;
    }

    @Override
    public Enumeration<String> getParameterNames() {
        return Collections.enumeration(this.parameters.keySet());
    }
}
