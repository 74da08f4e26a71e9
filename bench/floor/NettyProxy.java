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
 */
public class NettyProxy {
    static String host; static int bport; static String path;
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        URI t = URI.create(args[1]); host = t.getHost(); bport = t.getPort(); path = t.getPath();
        int n = Integer.getInteger("loops", Runtime.getRuntime().availableProcessors());
        EventLoopGroup group = new EpollEventLoopGroup(n);
        new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new ChannelInitializer<Channel>() {
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new Front());
                }
            }).bind("127.0.0.1", port).sync();
        Thread.currentThread().join();
    }
    static final class Pool { final ArrayDeque<Channel> idle = new ArrayDeque<>(); }
    static final java.util.Map<EventLoop, Pool> pools = new java.util.concurrent.ConcurrentHashMap<>();
    static final class Front extends SimpleChannelInboundHandler<FullHttpRequest> {
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            EventLoop loop = ctx.channel().eventLoop();
            Pool pool = pools.computeIfAbsent(loop, l -> new Pool());
            FullHttpRequest out = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path, req.content().retain());
            out.headers().set(HttpHeaderNames.HOST, host).set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, out.content().readableBytes());
            Channel front = ctx.channel();
            Channel back = pool.idle.pollFirst();
            if (back != null && back.isActive()) { send(back, out, front, pool); return; }
            new Bootstrap().group(loop).channel(EpollSocketChannel.class).option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    protected void initChannel(Channel ch) { ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20)); }
                }).connect(host, bport).addListener((ChannelFutureListener) f -> {
                    if (f.isSuccess()) send(f.channel(), out, front, pool); else { out.release(); front.close(); }
                });
        }
    }
    static void send(Channel back, FullHttpRequest out, Channel front, Pool pool) {
        back.pipeline().addLast("answer", new SimpleChannelInboundHandler<FullHttpResponse>() {
            protected void channelRead0(ChannelHandlerContext c, FullHttpResponse r) {
                c.pipeline().remove(this);
                FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, r.status(), r.content().retain());
                resp.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json").setInt(HttpHeaderNames.CONTENT_LENGTH, resp.content().readableBytes());
                front.writeAndFlush(resp);
                pool.idle.addFirst(back);
            }
        });
        back.writeAndFlush(out);
    }
}
