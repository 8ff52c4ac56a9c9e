package io.switchboard.api;

/** A REST failure with a status and a sentence for the caller; rendered as {@link Problem}. */
public class ProblemException extends RuntimeException {

    private final int status;

    public ProblemException(int status, String detail) {
        super(detail, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, detail);
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(400, detail);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, detail);
    }
}
