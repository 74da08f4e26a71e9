package dev.switchboard.router;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class AgentRouterApplication {

    public static void main(String[] args) {
        // Reactor Netty runs at least 4 event loops; on a 2-core box the extra two only add hand-offs between
        // threads to every webhook (p50 at 1,000/s: 0.85 -> 0.65 ms, docs/benchmarks-router.md). One per core,
        // unless the operator chose otherwise.
        if (System.getProperty("reactor.netty.ioWorkerCount") == null) {
            System.setProperty("reactor.netty.ioWorkerCount", Integer.toString(Runtime.getRuntime().availableProcessors()));
        }
        SpringApplication.run(AgentRouterApplication.class, args);
    }
}
