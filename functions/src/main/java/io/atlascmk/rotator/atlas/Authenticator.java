package io.atlascmk.rotator.atlas;

import java.net.URI;
import java.net.http.HttpResponse;

/** Adds credentials to Atlas requests: a Bearer token (service account) or a Digest answer (API key). */
interface Authenticator {

    /**
     * The {@code Authorization} header value for a request, or null to send none (Digest before the
     * first challenge).
     *
     * @throws TransientFailure when a token could not be fetched for a transient reason
     */
    String authorization(String method, URI uri) throws TransientFailure, InterruptedException;

    /**
     * Atlas answered 401 to a request sent with {@code usedAuthorization}. Returns true when one more
     * try with fresh credentials can succeed (a new token; an answer to the new Digest challenge).
     */
    boolean renewAfterUnauthorized(HttpResponse<?> response, String usedAuthorization);

    /** Human-readable kind for messages, never a secret. */
    String describe();
}
