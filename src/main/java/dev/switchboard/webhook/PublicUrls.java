package dev.switchboard.webhook;

import java.net.URI;

import jakarta.enterprise.context.ApplicationScoped;

import dev.switchboard.config.SwitchboardConfig;

/** The URLs a sender is given: from {@code switchboard.public-base-url}, else from how the caller reached us. */
@ApplicationScoped
public class PublicUrls {

    private final SwitchboardConfig config;

    public PublicUrls(SwitchboardConfig config) {
        this.config = config;
    }

    public String base(URI requestBase) {
        String base = config.publicBaseUrl().orElseGet(requestBase::toString);
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    public String senderUrl(URI requestBase, String webhookId) {
        return base(requestBase) + "/webhook/" + webhookId;
    }
}
