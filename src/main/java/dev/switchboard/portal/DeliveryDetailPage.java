package dev.switchboard.portal;

import java.util.List;

import dev.switchboard.delivery.log.DeliveryDetailView;

/**
 * One delivery, as the detail page shows it.
 *
 * @param bodyText     the body pretty-printed for its kind, or null when there is nothing to print
 * @param bodyNote     a sentence about the body (its kind, what a Homey receives)
 * @param curl         a curl command reproducing the request, credential headers left out
 * @param curlOmitted  the credential headers the command leaves out, comma-separated, or null
 */
public record DeliveryDetailPage(String webhookId, String webhookName, DeliveryDetailView delivery,
        String receivedText, String sizeText, String ruleLabel, List<HeaderLine> headers, String queryText,
        String bodyText, String bodyNote, String ruleDetailText, List<TargetLine> targets, String curl,
        String curlOmitted, String notice, String error) {

    public record HeaderLine(String name, String value, boolean redacted) {
    }

    public record TargetLine(String homeyId, String state, int attempts, String firstSent, String lastSent,
            String acked) {
    }
}
