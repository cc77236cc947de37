package dev.bulkload.body;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
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
 * commons-fileupload2's streaming API: nothing is spooled to disk or held in memory. The form fields before
 * it are the load's parameters (small, bounded); the load reads the file part as it arrives, and whatever follows
 * it is refused when the file has been read: a form field there would come too late to apply.
 */
public final class MultipartUpload {

    /** The name of the part that holds the payload (what Swagger UI's file picker sends). */
    public static final String FILE_PART = "file";

    /** The most bytes all form fields together may hold; they are parameters, not data. */
    static final int MAX_FIELD_BYTES = 1024 * 1024;

    /** The most form fields one upload may carry. */
    static final int MAX_FIELDS = 1000;

    private MultipartUpload() {
    }

    /**
     * The uploaded file.
     * @param filename the file name the client gave, or null
     * @param contentType the part's Content-Type, or null
     * @param content the part's bytes, streamed
     * @param fields the form fields before it, name to values in the order sent (UTF-8)
     */
    public record FilePart(String filename, String contentType, InputStream content, Map<String, List<String>> fields) {

        public FilePart {
            fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }
    }

    /** The file part, read from {@code body}: the request's stream as {@link RequestBody} bounds it, for every part. */
    public static FilePart file(HttpServletRequest request, InputStream body) throws IOException {
        JakartaServletFileUpload<DiskFileItem, DiskFileItemFactory> upload = new JakartaServletFileUpload<>();
        try {
            FileItemInputIterator items = upload.getItemIterator(new JakartaServletRequestContext(request) {

                @Override
                public InputStream getInputStream() {
                    return body;
                }
            });
            FormFields fields = new FormFields();
            while (items.hasNext()) {
                FileItemInput item = items.next();
                String name = item.getFieldName();
                // with or without a file name (curl -F 'file=<users.csv' sends none)
                if (FILE_PART.equals(name)) {
                    return new FilePart(item.getName(), item.getContentType(),
                            new UndrainedPart(item.getInputStream(), items), fields.values);
                }
                if (!item.isFormField()) {
                    throw new MalformedPayloadException("The multipart body has a file part named '" + name
                            + "'; send the payload as the part named '" + FILE_PART + "', and options as form fields "
                            + "or query parameters");
                }
                fields.add(name, item);
            }
        }
        catch (FileUploadException ex) {
            throw new MalformedPayloadException("Malformed multipart body: " + ex.getMessage());
        }
        throw new MalformedPayloadException("The multipart body has no file part named '" + FILE_PART + "'");
    }

    /** The form fields read so far, bounded in number and bytes. */
    private static final class FormFields {

        private final Map<String, List<String>> values = new LinkedHashMap<>();

        private int bytesLeft = MAX_FIELD_BYTES;

        private int fieldsLeft = MAX_FIELDS;

        /** Adds the field's value, read as UTF-8 text. */
        void add(String name, FileItemInput item) throws IOException {
            if (--this.fieldsLeft < 0) {
                throw new PayloadTooLargeException("The multipart body has more than " + MAX_FIELDS + " form fields");
            }
            try (InputStream in = item.getInputStream()) {
                byte[] bytes = in.readNBytes(this.bytesLeft + 1);
                this.bytesLeft -= bytes.length;
                if (this.bytesLeft < 0) {
                    throw new PayloadTooLargeException("The form fields of the multipart body hold more than "
                            + MAX_FIELD_BYTES + " bytes; they are for options, the payload goes in the part '"
                            + FILE_PART + "'");
                }
                this.values.computeIfAbsent(name, (n) -> new ArrayList<>()).add(new String(bytes, StandardCharsets.UTF_8));
            }
        }
    }

    /**
     * The part's stream without commons-fileupload's close, which reads the rest of the part from the
     * socket: a load that fails on its first rows must answer now, not after the client has sent the
     * remaining gigabytes. What is left is for the container to swallow or, after a failure, to drop
     * with the connection. At the part's end it reads on to the end of the body: another part there is
     * refused ({@link PartAfterFileException}) before the load can finish without it.
     */
    private static final class UndrainedPart extends FilterInputStream {

        private final FileItemInputIterator items;

        private boolean ended;

        UndrainedPart(InputStream part, FileItemInputIterator items) {
            super(part);
            this.items = items;
        }

        @Override
        public int read() throws IOException {
            if (this.ended) {
                // the iterator has moved past the part, whose stream now refuses reads
                return -1;
            }
            int b = super.read();
            if (b < 0) {
                end();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (this.ended) {
                return -1;
            }
            int n = super.read(b, off, len);
            if (n < 0) {
                end();
            }
            return n;
        }

        @Override
        public int available() throws IOException {
            return this.ended ? 0 : super.available();
        }

        private void end() throws IOException {
            if (this.ended) {
                return;
            }
            this.ended = true;
            try {
                if (this.items.hasNext()) {
                    FileItemInput next = this.items.next();
                    throw new PartAfterFileException(next.getFieldName(), next.isFormField());
                }
            }
            catch (FileUploadException ex) {
                throw new MalformedPayloadException("Malformed multipart body: " + ex.getMessage());
            }
        }

        @Override
        public void close() {
        }
    }
}
