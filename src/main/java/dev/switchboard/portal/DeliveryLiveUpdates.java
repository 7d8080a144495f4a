package dev.switchboard.portal;

import java.time.Duration;
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
import dev.switchboard.portal.LiveDeliveryList.Snapshot;
import io.quarkus.logging.Log;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.BackPressureStrategy;

/**
 * The SSE stream behind an open delivery list, for the htmx {@code sse} extension. Its first event, {@code rows},
 * is the page read again once the stream listens (see {@link LiveDeliveryList}); then {@code delivery} adds a new
 * row at the top (newest page only) and {@code outcome} replaces a shown row whose targets changed.
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
                    emitter.emit(new Snapshot(log.page(webhookId, query.filter(), query.afterId(), query.limit())));
                } catch (RuntimeException e) {
                    emitter.fail(e);
                }
            });
        }, BackPressureStrategy.ERROR);
        Multi<OutboundSseEvent> updates = inputs.onOverflow().buffer(LIVE_BUFFER)
                // Rendering leaves the publisher's thread (an event loop, or the feed's thread).
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .concatMap(input -> Multi.createFrom().iterable(list.take(input)))
                .map(update -> event(update, !query.filter().isEmpty(), sse))
                .onFailure().invoke(e -> Log.debugf("Live delivery log of webhookId=%s ended: %s", webhookId, e));
        // A comment now and then, so idle proxies and closed tabs are noticed.
        Multi<OutboundSseEvent> keepAlive = Multi.createFrom().ticks().startingAfter(KEEP_ALIVE).every(KEEP_ALIVE)
                .map(tick -> sse.newEventBuilder().comment("keep-alive").build());
        return Multi.createBy().merging().streams(updates, keepAlive);
    }

    private OutboundSseEvent event(Input update, boolean filtered, Sse sse) {
        if (update instanceof Snapshot snapshot) {
            DeliveryPage page = snapshot.page();
            List<DeliveryRow> rows = page.items().stream().map(DeliveryRow::of).toList();
            return named(sse, "rows",
                    DeliveryPages.Templates.liveRows(rows, filtered, page.searchLimited(), config.scanLimit()));
        }
        DeliveryFeed.Event event = ((FeedEvent) update).event();
        DeliveryRow row = DeliveryRow.of(event.summary());
        return event instanceof DeliveryFeed.Recorded
                ? named(sse, "delivery", DeliveryPages.Templates.liveDelivery(row))
                : named(sse, "outcome", DeliveryPages.Templates.row(row, true));
    }

    private static OutboundSseEvent named(Sse sse, String name, TemplateInstance data) {
        return sse.newEventBuilder().name(name).data(data.render()).build();
    }
}
