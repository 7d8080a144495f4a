package dev.switchboard.security;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;

import jakarta.ws.rs.Priorities;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.WithFormRead;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

import dev.switchboard.problem.Problem;
import dev.switchboard.problem.ProblemException;
import io.quarkus.logging.Log;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Cross-site request forgery defence for every state change a browser session can make (double-submit cookie plus
 * an origin check), whatever the body's content type or its absence.
 * <ul>
 * <li>Which requests: an unsafe method (anything but GET, HEAD, OPTIONS, TRACE) that carries the OIDC session
 * cookie. A request without it has no ambient authority to abuse: bearer-token API calls, senders and Homey
 * enrollment are not checked.</li>
 * <li>Origin: {@code Sec-Fetch-Site} must be {@code same-origin} (or {@code none}: typed by the user); without it, an
 * {@code Origin} header must name this host. Cross-site and same-site (a sibling subdomain) are refused.</li>
 * <li>Token: the {@code X-CSRF-TOKEN} header, or the {@code csrf-token} field of a form body (any letter case in the
 * content type), must equal the {@code csrf-token} cookie.</li>
 * </ul>
 * A refusal is a 403 {@code csrf_failed} problem (the portal's error page for pages).
 */
public class CsrfGuard {

    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    private static final String SESSION_COOKIE_PREFIX = "q_session";

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION - 100)
    @WithFormRead
    public void guard(ResteasyReactiveContainerRequestContext request, RoutingContext context) {
        HttpServerRequest http = context.request();
        boolean session = hasSessionCookie(http);
        String cookieToken = validToken(http.getCookie(CsrfToken.COOKIE));
        if (cookieToken != null) {
            context.put(CsrfToken.KEY, cookieToken);
        }
        if (!session || SAFE.contains(request.getMethod().toUpperCase(Locale.ROOT))) {
            return;
        }
        String origin = crossOrigin(http);
        if (origin != null) {
            Log.infof("CSRF: refused %s %s from %s", request.getMethod(), http.path(), origin);
            throw refused("Cross-site requests cannot change anything here");
        }
        String sent = request.getHeaderString(CsrfToken.HEADER);
        if (sent == null && isForm(request.getHeaderString("Content-Type"))) {
            sent = formField(request);
        }
        if (sent == null || cookieToken == null || !constantTimeEquals(sent, cookieToken)) {
            Log.debugf("CSRF: missing or wrong token on %s %s", request.getMethod(), http.path());
            throw refused("The form is out of date or did not come from this site; reload the page and try again");
        }
    }

    static boolean hasSessionCookie(HttpServerRequest http) {
        for (Cookie cookie : http.cookies()) {
            if (cookie.getName().startsWith(SESSION_COOKIE_PREFIX)) {
                return true;
            }
        }
        return false;
    }

    /** What is wrong with where the request came from, or null when it came from this site (or cannot tell). */
    private static String crossOrigin(HttpServerRequest http) {
        String site = http.getHeader("Sec-Fetch-Site");
        if (site != null) {
            String value = site.trim().toLowerCase(Locale.ROOT);
            return value.equals("same-origin") || value.equals("none") ? null : "Sec-Fetch-Site " + value;
        }
        String origin = http.getHeader("Origin");
        if (origin == null) {
            return null;
        }
        String host = http.authority() == null ? null : authority(http.authority().host(), http.authority().port(),
                http.scheme());
        try {
            URI uri = URI.create(origin.trim());
            if (uri.getHost() != null && host != null
                    && authority(uri.getHost(), uri.getPort(), uri.getScheme()).equals(host)) {
                return null;
            }
        } catch (IllegalArgumentException e) {
            // "null" or garbage: not this site.
        }
        return "Origin " + origin;
    }

    private static String authority(String host, int port, String scheme) {
        String lower = host.toLowerCase(Locale.ROOT);
        boolean defaultPort = port <= 0 || ("https".equalsIgnoreCase(scheme) && port == 443)
                || ("http".equalsIgnoreCase(scheme) && port == 80);
        return defaultPort ? lower : lower + ":" + port;
    }

    private static boolean isForm(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.toLowerCase(Locale.ROOT).trim();
        return type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data");
    }

    private static String formField(ResteasyReactiveContainerRequestContext request) {
        if (request.getServerRequestContext() instanceof ResteasyReactiveRequestContext context) {
            Object value = context.getFormParameter(CsrfToken.FIELD, true, false);
            return value instanceof String s ? s : null;
        }
        return null;
    }

    private static String validToken(Cookie cookie) {
        if (cookie == null || cookie.getValue() == null || cookie.getValue().length() != CsrfToken.LENGTH) {
            return null;
        }
        try {
            return Base64.getUrlDecoder().decode(cookie.getValue()).length == CsrfToken.BYTES ? cookie.getValue() : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static ProblemException refused(String detail) {
        return new ProblemException(Problem.of(403, "csrf_failed", "Forbidden", detail));
    }
}
