package dev.bulkload.body;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.fileupload2.core.DiskFileItem;
import org.apache.commons.fileupload2.core.DiskFileItemFactory;
import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.core.FileUploadException;
import org.apache.commons.fileupload2.jakarta.servlet6.JakartaServletFileUpload;
import org.apache.commons.fileupload2.jakarta.servlet6.JakartaServletRequestContext;

import dev.bulkload.row.MalformedPayloadException;
import dev.bulkload.row.PayloadTooLargeException;

/**
 * Streams the part {@code file} of a multipart/form-data request straight from the socket, with
 * commons-fileupload2's streaming API: nothing is spooled to disk or held in memory. Form fields before
 * it that name a load's options are kept (they are small and bounded); other parts are skipped. The load
 * reads the file part as it arrives.
 */
public final class MultipartUpload {

    /** The name of the part that holds the payload (what Swagger UI's file picker sends). */
    static final String FILE_PART = "file";

    /** The most text all kept form fields may hold together. */
    static final int MAX_FIELD_BYTES = 1024 * 1024;

    private MultipartUpload() {
    }

    /**
     * The uploaded file.
     * @param filename the file name the client gave, or null
     * @param contentType the part's Content-Type, or null
     * @param content the part's bytes, streamed
     * @param fields the kept form fields before it, by name, each with its values in order
     */
    public record FilePart(String filename, String contentType, InputStream content, Map<String, List<String>> fields) {

        public FilePart {
            fields = Map.copyOf(fields);
        }
    }

    /** The file part, read from {@code body}: the request's stream as {@link RequestBody} bounds it, for every part. */
    public static FilePart file(HttpServletRequest request, InputStream body) throws IOException {
        return file(request, body, List.of());
    }

    /**
     * The file part, and the form fields before it whose names are in {@code fieldNames} (UTF-8 text).
     * @throws PayloadTooLargeException when those fields hold more than {@value #MAX_FIELD_BYTES} bytes
     */
    public static FilePart file(HttpServletRequest request, InputStream body, Collection<String> fieldNames)
            throws IOException {
        JakartaServletFileUpload<DiskFileItem, DiskFileItemFactory> upload = new JakartaServletFileUpload<>();
        Map<String, List<String>> fields = new LinkedHashMap<>();
        int fieldBytes = 0;
        try {
            FileItemInputIterator items = upload.getItemIterator(new JakartaServletRequestContext(request) {

                @Override
                public InputStream getInputStream() {
                    return body;
                }
            });
            while (items.hasNext()) {
                FileItemInput item = items.next();
                if (!item.isFormField() && FILE_PART.equals(item.getFieldName())) {
                    return new FilePart(item.getName(), item.getContentType(),
                            new UndrainedPart(item.getInputStream()), fields);
                }
                if (item.isFormField() && fieldNames.contains(item.getFieldName())) {
                    byte[] value;
                    try (InputStream in = item.getInputStream()) {
                        value = in.readNBytes(MAX_FIELD_BYTES - fieldBytes + 1);
                    }
                    fieldBytes += value.length;
                    if (fieldBytes > MAX_FIELD_BYTES) {
                        throw new PayloadTooLargeException("The form fields before the file hold more than "
                                + MAX_FIELD_BYTES + " bytes");
                    }
                    fields.computeIfAbsent(item.getFieldName(), (name) -> new ArrayList<>())
                        .add(new String(value, StandardCharsets.UTF_8));
                }
            }
        }
        catch (FileUploadException ex) {
            throw new MalformedPayloadException("Malformed multipart body: " + ex.getMessage());
        }
        throw new MalformedPayloadException("The multipart body has no file part named '" + FILE_PART + "'");
    }

    /**
     * The part's stream without commons-fileupload's close, which reads the rest of the part from the
     * socket: a load that fails on its first rows must answer now, not after the client has sent the
     * remaining gigabytes. What is left is for the container to swallow or, after a failure, to drop
     * with the connection.
     */
    private static final class UndrainedPart extends FilterInputStream {

        UndrainedPart(InputStream part) {
            super(part);
        }

        @Override
        public void close() {
        }
    }
}
