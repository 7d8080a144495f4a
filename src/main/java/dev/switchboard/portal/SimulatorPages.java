package dev.switchboard.portal;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.switchboard.homey.RegistrationService;
import dev.switchboard.homey.TestHomey;
import dev.switchboard.homey.TestHomeyService;
import dev.switchboard.ingest.IngestConfig;
import dev.switchboard.payload.PayloadParser;
import dev.switchboard.payload.WebhookPayload;
import dev.switchboard.problem.ProblemException;
import dev.switchboard.result.Result;
import dev.switchboard.routing.RoutePreview;
import dev.switchboard.security.CurrentDeveloper;
import dev.switchboard.webhook.PublicUrls;
import dev.switchboard.webhook.Webhook;
import dev.switchboard.webhook.WebhookService;
import dev.switchboard.webhook.keypath.KeyPath;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;

/**
 * The in-browser Homey simulator of a webhook. The server side lists and enrolls test Homeys and tests key paths;
 * the live part (socket, messages, sending test requests) is {@code assets/simulator.js}, which talks to the same
 * public endpoints a Homey and a sender use.
 */
@Path("/webhooks/{id}/simulator")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class SimulatorPages {

    /** The key-path tester lists this many reached registrations, and counts the rest. */
    static final int SHOWN_HOMEYS = 50;
    static final String DEFAULT_DATA = "{\"$keys\": []}";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance simulator(String user, SimulatorView view);

        static native TemplateInstance testRequest(SimulatorView view);
    }

    private final WebhookService webhooks;
    private final TestHomeyService testHomeys;
    private final RegistrationService registrations;
    private final RoutePreview routes;
    private final PayloadParser parser;
    private final IngestConfig ingest;
    private final PublicUrls urls;
    private final CurrentDeveloper developer;
    private final ObjectMapper prettyJson;

    @Context
    UriInfo uriInfo;

    public SimulatorPages(WebhookService webhooks, TestHomeyService testHomeys, RegistrationService registrations,
            RoutePreview routes, PayloadParser parser, IngestConfig ingest, PublicUrls urls,
            CurrentDeveloper developer, ObjectMapper mapper) {
        this.webhooks = webhooks;
        this.testHomeys = testHomeys;
        this.registrations = registrations;
        this.routes = routes;
        this.parser = parser;
        this.ingest = ingest;
        this.urls = urls;
        this.developer = developer;
        this.prettyJson = mapper.copy().enable(SerializationFeature.INDENT_OUTPUT);
    }

    @GET
    public TemplateInstance page(@PathParam("id") String id, @RestQuery String homey) {
        Webhook webhook = webhooks.get(developer.id(), id).orElseThrow(ProblemException::of);
        return Templates.simulator(developer.displayName(), view(webhook, homey, null, null,
                TestRequestForm.defaults(webhook.keyPath), null, null));
    }

    @POST
    @Path("/test-homeys")
    public Response enroll(@PathParam("id") String id, @RestForm String label) {
        Webhook webhook = webhooks.get(developer.id(), id).orElseThrow(ProblemException::of);
        Result<TestHomey> enrolled = testHomeys.enroll(developer.id(), label);
        if (enrolled.isRefused()) {
            String error = enrolled.refusal().get().message();
            return Response.status(422).entity(Templates.simulator(developer.displayName(),
                    view(webhook, null, label, error, TestRequestForm.defaults(webhook.keyPath), null, null))).build();
        }
        return Response.seeOther(pageUri(id, enrolled.orElseThrow(ProblemException::of).homeyId())).build();
    }

    @POST
    @Path("/test-homeys/{homeyId}/delete")
    public Response deleteTestHomey(@PathParam("id") String id, @PathParam("homeyId") String homeyId) {
        webhooks.get(developer.id(), id).orElseThrow(ProblemException::of);
        testHomeys.delete(developer.id(), homeyId).orElseThrow(ProblemException::of);
        return Response.seeOther(UriBuilder.fromPath("/webhooks/{id}/simulator").build(id)).build();
    }

    /**
     * Evaluates a candidate key path against the test request, parsed exactly as the sender endpoint parses it, and
     * looks its values up in the live registration index. Nothing is saved, recorded or sent. With htmx, answers
     * only the form (errors next to fields, result below); without, the whole page.
     */
    @POST
    @Path("/key-path")
    public Response testKeyPath(@PathParam("id") String id, @RestForm String homey, @RestForm String method,
            @RestForm String headers, @RestForm String query, @RestForm String body, @RestForm String keyPath,
            @HeaderParam("HX-Request") String htmx) {
        Webhook webhook = webhooks.get(developer.id(), id).orElseThrow(ProblemException::of);
        TestRequestForm form = new TestRequestForm(method, headers, query, body, keyPath);
        TestRequestForm.Parsed parsed = form.parse(ingest.maxBodyBytes());
        KeyPathCheck check = KeyPathCheck.of(form.keyPath(), webhook.legacyFunction != null);
        if (check.empty()) {
            check = new KeyPathCheck("", true, false, null, "Enter a key path to test, e.g. body.device_id", null,
                    webhook.legacyFunction != null);
        }
        KeyPathTestResult result = null;
        if (!parsed.errors().any() && check.valid()) {
            result = evaluate(webhook.id, KeyPath.parse(form.keyPath()), parser.parse(parsed.request()), homey);
        }
        boolean invalid = parsed.errors().any() || !check.valid();
        SimulatorView view = view(webhook, homey, null, null, form, parsed.errors(), result)
                .withKeyPathCheck(check);
        if ("true".equals(htmx)) {
            // htmx swaps only 2xx answers: errors travel in a 200 and show next to their fields.
            return Response.ok(Templates.testRequest(view)).build();
        }
        return Response.status(invalid ? 422 : 200).entity(Templates.simulator(developer.displayName(), view)).build();
    }


    private KeyPathTestResult evaluate(String webhookId, KeyPath keyPath, WebhookPayload payload, String selected) {
        RoutePreview.Preview preview = routes.preview(webhookId, keyPath, payload, SHOWN_HOMEYS);
        List<String> mine = testHomeys.list(developer.id()).stream().map(TestHomey::homeyId).toList();
        List<KeyPathTestResult.ReachedHomey> reached = preview.homeyIds().stream()
                .map(h -> new KeyPathTestResult.ReachedHomey(h, mine.contains(h), h.equals(selected)))
                .toList();
        return new KeyPathTestResult(keyPath.canonical(), preview.values(), reached, preview.homeyCount(),
                preview.homeyQuery().orElse(null), preview.homeyQueryRegistered(),
                payload.bodyKind().name().toLowerCase(Locale.ROOT).replace('_', ' '),
                pretty(payload.headers()), pretty(payload.query()), pretty(payload.body()));
    }

    private SimulatorView view(Webhook webhook, String homeyParam, String labelValue, String labelError,
            TestRequestForm request, TestRequestForm.Errors errors, KeyPathTestResult result) {
        List<TestHomey> mine = testHomeys.list(developer.id());
        // The one asked for, else the newest: enrolling redirects here with the new one.
        String selectedId = mine.stream().map(TestHomey::homeyId).filter(h -> h.equals(homeyParam)).findFirst()
                .orElse(mine.isEmpty() ? null : mine.get(mine.size() - 1).homeyId());
        List<TestHomeyRow> rows = mine.stream().map(h -> TestHomeyRow.of(h, selectedId)).toList();
        TestHomeyRow selected = rows.stream().filter(TestHomeyRow::selected).findFirst().orElse(null);
        Optional<JsonNode> data = selectedId == null ? Optional.empty()
                : registrations.dataOf(webhook.id, selectedId);
        return new SimulatorView(webhook.id, webhook.name, webhook.keyPath,
                urls.senderUrl(uriInfo.getBaseUri(), webhook.id), rows, selected,
                data.map(this::pretty).orElse(DEFAULT_DATA), data.isPresent(), labelValue, labelError, request,
                errors == null ? new TestRequestForm.Errors(null, null, null, null) : errors,
                KeyPathCheck.of(request.keyPath(), webhook.legacyFunction != null), result);
    }

    private String pretty(JsonNode node) {
        try {
            return prettyJson.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static URI pageUri(String webhookId, String homeyId) {
        return UriBuilder.fromPath("/webhooks/{id}/simulator").queryParam("homey", homeyId).build(webhookId);
    }
}
