package dev.switchboard.homey;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.HexFormat;

import dev.switchboard.problem.ProblemException;
import dev.switchboard.ratelimit.RateLimiter;
import io.netty.util.NetUtil;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/** {@code POST /api/v1/homeys}: a Homey enrolls without a login and gets its credentials once. */
@Path("/api/v1/homeys")
@Tag(name = "Homeys")
public class HomeyEnrollmentResource {

    private final HomeyService homeys;
    private final RateLimiter perClient;

    public HomeyEnrollmentResource(HomeyService homeys, HomeyConfig config) {
        this.homeys = homeys;
        double perMinute = config.enrollmentsPerMinute();
        this.perClient = new RateLimiter(perMinute / 60.0, perMinute, config.enrollmentClientsTracked());
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Response enroll(HttpServerRequest request) {
        String client = clientOf(request.remoteAddress());
        long wait = perClient.tryAcquire(client, System.nanoTime());
        if (wait > 0) {
            throw ProblemException.rateLimited("Too many enrollments from this address; try again later",
                    RateLimiter.retryAfterSeconds(wait));
        }
        return Response.status(201).entity(homeys.enroll(null, null)).build();
    }

    /** The rate-limited unit: an IPv4 address, or the /64 of an IPv6 address (IPv4-mapped ones count as IPv4). */
    static String clientOf(SocketAddress address) {
        if (address == null) {
            return "unknown";
        }
        // An address taken from a Forwarded header may carry only a host, in brackets when it is IPv6.
        String text = address.hostAddress() != null ? address.hostAddress() : address.host();
        if (text == null) {
            return "unknown";
        }
        if (text.startsWith("[") && text.endsWith("]")) {
            text = text.substring(1, text.length() - 1);
        }
        byte[] ip = NetUtil.createByteArrayFromIpAddressString(text); // a literal only: never a name lookup
        if (ip == null) {
            return text;
        }
        if (ip.length == 16 && !isIpv4Mapped(ip)) {
            return HexFormat.of().formatHex(ip, 0, 8) + "::/64";
        }
        return ip.length == 16 ? (ip[12] & 0xff) + "." + (ip[13] & 0xff) + "." + (ip[14] & 0xff) + "." + (ip[15] & 0xff)
                : NetUtil.bytesToIpAddress(ip);
    }

    private static boolean isIpv4Mapped(byte[] ip) {
        for (int i = 0; i < 10; i++) {
            if (ip[i] != 0) {
                return false;
            }
        }
        return ip[10] == (byte) 0xff && ip[11] == (byte) 0xff;
    }
}
