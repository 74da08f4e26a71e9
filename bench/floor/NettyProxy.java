import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.*;
import io.netty.channel.epoll.*;
import io.netty.handler.codec.http.*;
import java.net.URI;
import java.util.ArrayDeque;

/**
 * The least a proxy on bare Netty (the router's own Netty jars, no Reactor Netty) can do per request: Netty's HTTP
 * codec and aggregator, the body POSTed to one backend over a keep-alive connection owned by the event loop that
 * took the request (one small pool per loop), the answer written back. No signature, parsing, decision, metrics,
 * timeouts or error handling: a measuring stick, not a product. Compared with MiniProxy (the same on Reactor
 * Netty) it shows what Reactor Netty's own machinery adds per request.
 * Usage: java -cp ... NettyProxy PORT BACKEND_URL (-Dloops=N event loops, default the processor count)
 *
 * <p>With {@code -Dredis=HOST:PORT} each request also makes the Redis round trips the router makes with shared
 * state, and nothing more: before forwarding, one pipelined write of two {@code SET ... NX EX} (the retry claim and
 * the call's pin, keys unique per request) whose two replies it waits for; after the answer, one {@code SET ... EX}
 * (the shared answer) whose reply nobody waits for. One Redis connection per event loop, owned by that loop, RESP
 * written by hand: the floor under a router that keeps its state on Redis.
 */
public class NettyProxy {
    static String host; static int bport; static String path;
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        URI t = URI.create(args[1]); host = t.getHost(); bport = t.getPort(); path = t.getPath();
        int n = Integer.getInteger("loops", Runtime.getRuntime().availableProcessors());
        EventLoopGroup group = new EpollEventLoopGroup(n);
        if (REDIS != null) { // a Redis connection per event loop, opened before the first request
            String[] hp = REDIS.split(":");
            for (io.netty.util.concurrent.EventExecutor e : group) {
                EventLoop loop = (EventLoop) e;
                Redis r = new Redis();
                r.ch = new Bootstrap().group(loop).channel(EpollSocketChannel.class).option(ChannelOption.TCP_NODELAY, true)
                    .handler(r).connect(hp[0], Integer.parseInt(hp[1])).sync().channel();
                pools.computeIfAbsent(loop, l -> new Pool()).redis = r;
            }
        }
        new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new ChannelInitializer<Channel>() {
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new Front());
                }
            }).bind("127.0.0.1", port).sync();
        Thread.currentThread().join();
    }
    static final class Pool { final ArrayDeque<Channel> idle = new ArrayDeque<>(); Redis redis; }
    static final String REDIS = System.getProperty("redis");
    static final String RUN = Long.toString(System.nanoTime(), 36);

    /** One Redis connection on one event loop: commands written in order, each reply line completes the oldest. */
    static final class Redis extends io.netty.handler.codec.LineBasedFrameDecoder {
        final ArrayDeque<Runnable> waiting = new ArrayDeque<>(); Channel ch; long next;
        Redis() { super(1024); }
        protected Object decode(ChannelHandlerContext ctx, io.netty.buffer.ByteBuf in) throws Exception {
            Object line = super.decode(ctx, in);
            if (line != null) { ((io.netty.buffer.ByteBuf) line).release(); Runnable r = waiting.pollFirst(); if (r != null) r.run(); }
            return null;
        }
        static String set(String key, String value, String nx) {
            String[] parts = nx.isEmpty() ? new String[] {"SET", key, value, "EX", "600"} : new String[] {"SET", key, value, "NX", "EX", "600"};
            StringBuilder b = new StringBuilder("*").append(parts.length).append("\r\n");
            for (String x : parts) b.append('$').append(x.length()).append("\r\n").append(x).append("\r\n");
            return b.toString();
        }
        /** claim and pin in one write; then() once both replies are in */
        String newKey() { return RUN + ":" + Integer.toHexString(ch.eventLoop().hashCode()) + ":" + next++; }
        void claimAndPin(String k, Runnable then) {
            waiting.addLast(() -> {}); waiting.addLast(then);
            ch.writeAndFlush(io.netty.buffer.Unpooled.copiedBuffer(set("answer|" + k, "in-flight", "NX") + set("pin|" + k, "v2", "NX"), java.nio.charset.StandardCharsets.US_ASCII));
        }
        void answer(String k) {
            waiting.addLast(() -> {});
            ch.writeAndFlush(io.netty.buffer.Unpooled.copiedBuffer(set("answer|" + k, "{\"status\":200}", ""), java.nio.charset.StandardCharsets.US_ASCII));
        }
    }
    static final java.util.Map<EventLoop, Pool> pools = new java.util.concurrent.ConcurrentHashMap<>();
    static final class Front extends SimpleChannelInboundHandler<FullHttpRequest> {
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            EventLoop loop = ctx.channel().eventLoop();
            Pool pool = pools.computeIfAbsent(loop, l -> new Pool());
            FullHttpRequest out = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path, req.content().retain());
            out.headers().set(HttpHeaderNames.HOST, host).set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, out.content().readableBytes());
            Channel front = ctx.channel();
            if (REDIS != null) {
                Redis r = pool.redis;
                String k = r.newKey();
                r.claimAndPin(k, () -> forward(loop, pool, out, front, k));
                return;
            }
            forward(loop, pool, out, front, null);
        }
    }
    static void forward(EventLoop loop, Pool pool, FullHttpRequest out, Channel front, String key) {
        Channel back = pool.idle.pollFirst();
        if (back != null && back.isActive()) { send(back, out, front, pool, key); return; }
        new Bootstrap().group(loop).channel(EpollSocketChannel.class).option(ChannelOption.TCP_NODELAY, true)
            .handler(new ChannelInitializer<Channel>() {
                protected void initChannel(Channel ch) { ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20)); }
            }).connect(host, bport).addListener((ChannelFutureListener) f -> {
                if (f.isSuccess()) send(f.channel(), out, front, pool, key); else { out.release(); front.close(); }
            });
    }
    static void send(Channel back, FullHttpRequest out, Channel front, Pool pool, String key) {
        back.pipeline().addLast("answer", new SimpleChannelInboundHandler<FullHttpResponse>() {
            protected void channelRead0(ChannelHandlerContext c, FullHttpResponse r) {
                c.pipeline().remove(this);
                FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, r.status(), r.content().retain());
                resp.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json").setInt(HttpHeaderNames.CONTENT_LENGTH, resp.content().readableBytes());
                front.writeAndFlush(resp);
                pool.idle.addFirst(back);
                if (key != null) pool.redis.answer(key);
            }
        });
        back.writeAndFlush(out);
    }
}
