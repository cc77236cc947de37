package dev.bulkload.body;

import dev.bulkload.row.MalformedPayloadException;

/**
 * A multipart upload has a part after its file part: a form field there would be an option that comes too late to
 * apply (the load has read the file by then), so it is refused rather than ignored.
 */
public class PartAfterFileException extends MalformedPayloadException {

    private final String part;

    private final boolean formField;

    PartAfterFileException(String part, boolean formField) {
        super(formField ? "The form field '" + part + "' comes after the file part, too late to apply: send options "
                + "before the part '" + MultipartUpload.FILE_PART + "', or as query parameters"
                : "The multipart body has another part, '" + part + "', after the part '" + MultipartUpload.FILE_PART
                        + "'; send one file");
        this.part = part;
        this.formField = formField;
    }

    /** The name of the part after the file. */
    public String part() {
        return this.part;
    }

    /** Whether it is a form field (an option), not another file. */
    public boolean formField() {
        return this.formField;
    }
}
