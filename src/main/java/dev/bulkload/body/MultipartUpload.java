package dev.bulkload.body;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.fileupload2.core.DiskFileItem;
import org.apache.commons.fileupload2.core.DiskFileItemFactory;
import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.core.FileUploadException;
import org.apache.commons.fileupload2.jakarta.servlet6.JakartaServletFileUpload;
import org.apache.commons.fileupload2.jakarta.servlet6.JakartaServletRequestContext;

import dev.bulkload.row.MalformedPayloadException;

/**
 * Streams the part {@code file} of a multipart/form-data request straight from the socket, with
 * commons-fileupload2's streaming API: nothing is spooled to disk or held in memory. Parts before
 * it are skipped; the load reads the file part as it arrives.
 */
public final class MultipartUpload {

    /** The name of the part that holds the payload (what Swagger UI's file picker sends). */
    static final String FILE_PART = "file";

    private MultipartUpload() {
    }

    /**
     * The uploaded file.
     * @param filename the file name the client gave, or null
     * @param contentType the part's Content-Type, or null
     * @param content the part's bytes, streamed
     */
    public record FilePart(String filename, String contentType, InputStream content) {
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
            while (items.hasNext()) {
                FileItemInput item = items.next();
                if (!item.isFormField() && FILE_PART.equals(item.getFieldName())) {
                    return new FilePart(item.getName(), item.getContentType(),
                            new UndrainedPart(item.getInputStream()));
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
