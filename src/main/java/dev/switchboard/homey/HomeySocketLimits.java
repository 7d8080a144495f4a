package dev.switchboard.homey;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;

/**
 * The largest message a Homey may send ({@link HomeyConfig#maxInboundFrameBytes()}), enforced by Vert.x while it reads:
 * a larger frame closes the socket with 1009, and a fragmented message is refused as soon as its parts add up to more
 * ({@link HomeySocket} then closes with 1009). The Homey socket is the server's only WebSocket endpoint.
 */
@ApplicationScoped
class HomeySocketLimits implements HttpServerOptionsCustomizer {

    private final HomeyConfig config;

    HomeySocketLimits(HomeyConfig config) {
        this.config = config;
    }

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        limit(options);
    }

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        limit(options);
    }

    private void limit(HttpServerOptions options) {
        options.setMaxWebSocketFrameSize(config.maxInboundFrameBytes());
        options.setMaxWebSocketMessageSize(config.maxInboundFrameBytes());
    }
}
