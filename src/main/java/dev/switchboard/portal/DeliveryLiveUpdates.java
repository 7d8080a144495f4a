package dev.switchboard.portal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import dev.switchboard.delivery.log.DeliveryFeed;
import dev.switchboard.delivery.log.DeliveryLog;
import dev.switchboard.delivery.log.DeliveryLogConfig;
import dev.switchboard.delivery.log.DeliveryPage;
import dev.switchboard.delivery.log.DeliveryQuery;
import dev.switchboard.portal.LiveDeliveryList.FeedEvent;
import dev.switchboard.portal.LiveDeliveryList.Input;
import dev.switchboard.portal.LiveDeliveryList.ReadAgain;
import dev.switchboard.portal.LiveDeliveryList.Snapshot;
import io.quarkus.logging.Log;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.BackPressureStrategy;

/**
 * The SSE stream behind an open delivery list, for the htmx {@code sse} extension. Its first event, {@code rows},
 * is the page read again once the stream listens (see {@link LiveDeliveryList}); then {@code delivery} adds a new
 * row at the top (newest page only) and {@code outcome} replaces a shown row whose targets changed. When the feed
 * lost changes, {@code rows} comes again with the page read anew.
 *
 * <p>Every event carries rows marked for htmx's out-of-band swap, found by ID, and the page listens with one
 * element that is never swapped. Rows swapped in need no processing: htmx processes new content on a settle
 * timer, and a row that listened for its own updates missed those arriving before that timer ran on a busy browser.
 */
@ApplicationScoped
class DeliveryLiveUpdates {

    /** Events a slow browser may fall behind by before its stream is closed (it then reconnects and reloads). */
    private static final int LIVE_BUFFER = 256;
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(20);

    private final DeliveryFeed feed;
    private final DeliveryLog log;
    private final DeliveryLogConfig config;

    DeliveryLiveUpdates(DeliveryFeed feed, DeliveryLog log, DeliveryLogConfig config) {
        this.feed = feed;
        this.log = log;
        this.config = config;
    }

    Multi<OutboundSseEvent> stream(String webhookId, DeliveryQuery query, Sse sse) {
        LiveDeliveryList list = new LiveDeliveryList(query.afterId() == null);
        Multi<Input> inputs = Multi.createFrom().<Input>emitter(emitter -> {
            DeliveryFeed.Subscription subscription = feed.subscribe(webhookId, query.filter(),
                    event -> emitter.emit(new FeedEvent(event)));
            emitter.onTermination(subscription::close);
            // Read only now that the feed tells this stream of every later commit.
            Infrastructure.getDefaultWorkerPool().execute(() -> {
                try {
                    emitter.emit(new Snapshot(readPage(webhookId, query)));
                } catch (RuntimeException e) {
                    emitter.fail(e);
                }
            });
        }, BackPressureStrategy.ERROR);
        Multi<OutboundSseEvent> updates = inputs.onOverflow().buffer(LIVE_BUFFER)
                // Rendering leaves the publisher's thread (an event loop, or the feed's thread).
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .concatMap(input -> Multi.createFrom().iterable(updates(list, input, webhookId, query)))
                .map(update -> event(update, !query.filter().isEmpty(), sse))
                .onFailure().invoke(e -> Log.debugf("Live delivery log of webhookId=%s ended: %s", webhookId, e));
        // A comment now and then, so idle proxies and closed tabs are noticed.
        Multi<OutboundSseEvent> keepAlive = Multi.createFrom().ticks().startingAfter(KEEP_ALIVE).every(KEEP_ALIVE)
                .map(tick -> sse.newEventBuilder().comment("keep-alive").build());
        return Multi.createBy().merging().streams(updates, keepAlive);
    }

    /**
     * What {@code list} says to send for {@code input}, with {@link ReadAgain} answered by the page read again. On a
     * worker thread, so the read may block. If it fails, so does the stream: its headers are out, so Quarkus REST
     * resets the connection, the browser's EventSource (or the sse extension) reconnects, and the new stream starts
     * with a fresh snapshot; the same as when the first read fails.
     */
    private List<Input> updates(LiveDeliveryList list, Input input, String webhookId, DeliveryQuery query) {
        List<Input> updates = list.take(input);
        if (!updates.contains(new ReadAgain())) {
            return updates;
        }
        List<Input> sent = new ArrayList<>(updates.size());
        for (Input update : updates) {
            if (update instanceof ReadAgain) {
                // A snapshot after the first one is passed on as it is: it never asks for another read.
                sent.addAll(list.take(new Snapshot(readPage(webhookId, query))));
            } else {
                sent.add(update);
            }
        }
        return sent;
    }

    private DeliveryPage readPage(String webhookId, DeliveryQuery query) {
        return log.page(webhookId, query.filter(), query.afterId(), query.limit());
    }

    private OutboundSseEvent event(Input update, boolean filtered, Sse sse) {
        if (update instanceof Snapshot snapshot) {
            DeliveryPage page = snapshot.page();
            List<DeliveryRow> rows = page.items().stream().map(DeliveryRow::of).toList();
            return named(sse, "rows",
                    DeliveryPages.Templates.liveRows(rows, filtered, page.searchLimited(), config.scanLimit()));
        }
        if (update instanceof FeedEvent feedEvent) {
            if (feedEvent.event() instanceof DeliveryFeed.Recorded recorded) {
                return named(sse, "delivery", DeliveryPages.Templates.liveDelivery(DeliveryRow.of(recorded.summary())));
            }
            if (feedEvent.event() instanceof DeliveryFeed.Changed changed) {
                return named(sse, "outcome", DeliveryPages.Templates.row(DeliveryRow.of(changed.summary()), true));
            }
        }
        // Missed becomes ReadAgain in LiveDeliveryList, and updates(...) answers that with a snapshot.
        throw new IllegalStateException("Not for the browser: " + update);
    }

    private static OutboundSseEvent named(Sse sse, String name, TemplateInstance data) {
        return sse.newEventBuilder().name(name).data(data.render()).build();
    }
}
