import io.netty.buffer.Unpooled;
import java.net.URI;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;

/**
 * The least a Reactor Netty proxy can do per request, built from the router's own Reactor Netty and Netty jars:
 * read the body, POST it to one backend over a pooled keep-alive connection, return the answer. No signature, no
 * parsing, no decision, no metrics. What this costs per request is the floor under the router's cost.
 * Usage: java -cp ... MiniProxy PORT BACKEND_URL
 */
public class MiniProxy {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        URI target = URI.create(args[1]);
        HttpClient client = HttpClient.create(ConnectionProvider.create("floor", 64));
        HttpServer.create().host("127.0.0.1").port(port).handle((request, response) -> request.receive().aggregate()
                .asByteArray()
                .flatMap(body -> client
                        .headers(h -> h.set("Content-Type", "application/json").setInt("Content-Length", body.length))
                        .post().uri(target).send(Mono.just(Unpooled.wrappedBuffer(body)))
                        .responseSingle((r, content) -> content.asByteArray()))
                .flatMap(answer -> response.header("Content-Type", "application/json")
                        .header("Content-Length", String.valueOf(answer.length))
                        .sendByteArray(Mono.just(answer)).then()))
                .bindNow();
        Thread.currentThread().join();
    }
}
