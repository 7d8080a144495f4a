package dev.switchboard.security;

import java.security.SecureRandom;
import java.util.Base64;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;

/**
 * The portal's CSRF token for templates: {@code <input type="hidden" name="{inject:csrf.parameterName}"
 * value="{inject:csrf.token}">}: the {@code csrf-token} cookie's value (read by {@link CsrfGuard}), or a new one that
 * this request's answer sets as that cookie.
 */
@Named("csrf")
@RequestScoped
public class CsrfToken {

    public static final String FIELD = "csrf-token";
    public static final String COOKIE = "csrf-token";
    public static final String HEADER = "X-CSRF-TOKEN";
    static final String KEY = CsrfToken.class.getName();
    static final int BYTES = 32;
    static final int LENGTH = 43; // 32 bytes, base64url without padding

    private final RoutingContext context;

    public CsrfToken(RoutingContext context) {
        this.context = context;
    }

    public String getParameterName() {
        return FIELD;
    }

    public String getHeaderName() {
        return HEADER;
    }

    public String getToken() {
        String token = context.get(KEY);
        if (token == null) {
            // First page of this browser: a new token, in a cookie only this site's requests carry.
            byte[] bytes = new byte[BYTES];
            // A generator made now, not kept in a static field: a native image would carry it, seeded, from its build.
            new SecureRandom().nextBytes(bytes);
            token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            context.put(KEY, token);
            context.response().addCookie(Cookie.cookie(COOKIE, token).setPath("/").setHttpOnly(true)
                    .setSameSite(CookieSameSite.STRICT).setSecure(context.request().isSSL()));
        }
        return token;
    }
}
