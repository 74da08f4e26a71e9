package dev.switchboard.controlplane.web;

import java.util.concurrent.atomic.AtomicLong;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Refuses oversized bodies with 413 before they are decoded: at once from {@code Content-Length}, and while
 * streaming for chunked bodies. Bulk endpoints (tenant import, router metric windows) get a larger limit.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class RequestBodyLimitFilter implements WebFilter {

    private final ApiProperties properties;
    private final ProblemWriter problems;

    private final java.util.List<org.springframework.web.util.pattern.PathPattern> bulkPatterns;

    RequestBodyLimitFilter(ApiProperties properties, ProblemWriter problems) {
        this.properties = properties;
        this.problems = problems;
        var parser = new org.springframework.web.util.pattern.PathPatternParser();
        this.bulkPatterns = properties.bulkPaths().stream().map(parser::parse).toList();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        var path = exchange.getRequest().getPath().pathWithinApplication();
        long limit = bulkPatterns.stream().anyMatch(pattern -> pattern.matches(path))
                ? properties.maxBulkBodyBytes() : properties.maxBodyBytes();
        long declared = exchange.getRequest().getHeaders().getContentLength();
        if (declared > limit) {
            return problems.write(exchange, ProblemMapping.tooLarge(limit, exchange));
        }
        ServerHttpRequest limited = new ServerHttpRequestDecorator(exchange.getRequest()) {
            @Override
            public Flux<DataBuffer> getBody() {
                AtomicLong seen = new AtomicLong();
                return super.getBody().map(buffer -> {
                    if (seen.addAndGet(buffer.readableByteCount()) > limit) {
                        DataBufferUtils.release(buffer);
                        throw new PayloadTooLarge(limit);
                    }
                    return buffer;
                });
            }
        };
        return chain.filter(exchange.mutate().request(limited).build());
    }
}
