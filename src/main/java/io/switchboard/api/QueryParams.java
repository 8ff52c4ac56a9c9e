package io.switchboard.api;

/**
 * Numeric query parameters read as text: a bound {@code int} that does not parse is a {@code 404} in
 * JAX-RS, but for callers it is a bad request.
 */
public final class QueryParams {

    private QueryParams() {
    }

    /** {@code value} as an int in {@code min..max}, {@code defaultValue} when absent; else a 400 problem. */
    public static int intInRange(String name, String value, int defaultValue, int min, int max) {
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest(name + " must be a whole number between " + min + " and " + max + ".");
        }
        if (parsed < min || parsed > max) {
            throw ProblemException.badRequest(name + " must be between " + min + " and " + max + ".");
        }
        return parsed;
    }
}
