package dev.switchboard.portal;

import java.time.Instant;

/** Everything the webhook page shows, with form values and errors to re-render after a failed submit. */
public record WebhookDetail(
        String id,
        String name,
        String routingLabel,
        Instant createdAt,
        String createdAtText,
        String envJson,
        String envJsonMasked,
        Instant previousSecretExpiresAt,
        String previousSecretExpiresText,
        String senderUrl,
        String homeyUrlTemplate,
        String keyPathInput,
        KeyPathCheck keyPathCheck,
        String legacyFunction,
        String legacyImportedText,
        String nameInput,
        String nameError) {

    public boolean keyPathError() {
        return !keyPathCheck.valid();
    }

    WebhookDetail withKeyPathInput(String input, KeyPathCheck check) {
        return new WebhookDetail(id, name, routingLabel, createdAt, createdAtText, envJson, envJsonMasked,
                previousSecretExpiresAt, previousSecretExpiresText, senderUrl, homeyUrlTemplate, input, check,
                legacyFunction, legacyImportedText, nameInput, nameError);
    }

    WebhookDetail withNameInput(String input, String error) {
        return new WebhookDetail(id, name, routingLabel, createdAt, createdAtText, envJson, envJsonMasked,
                previousSecretExpiresAt, previousSecretExpiresText, senderUrl, homeyUrlTemplate, keyPathInput,
                keyPathCheck, legacyFunction, legacyImportedText, input, error);
    }
}
