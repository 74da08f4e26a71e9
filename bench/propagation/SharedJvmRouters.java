import dev.switchboard.router.AgentRouterApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * Several routers in one JVM, for the propagation benchmark's ROUTER_PROCESS=shared mode: each argument is one
 * router's command line (its {@code --key=value} options joined by {@code ;}), and each router is a Spring
 * application context of its own built from the router's own classes: its own HTTP port, control-plane stream
 * and SDK client, flag state, backup file, router identity, confirmations and metric pushes. What the routers
 * share is what a process shares: the JIT's compiled code, the garbage collector and Reactor Netty's event loops
 * (one per core, as the router's own main sets them).
 * Usage: java -cp "agent-router classes and dependencies" bench/propagation/SharedJvmRouters.java "OPTS1" "OPTS2" ...
 */
public class SharedJvmRouters {
    public static void main(String[] args) throws Exception {
        if (System.getProperty("reactor.netty.ioWorkerCount") == null) {
            System.setProperty("reactor.netty.ioWorkerCount", Integer.toString(Runtime.getRuntime().availableProcessors()));
        }
        for (String router : args) { // each context closes on the JVM's shutdown (Spring's own hook)
            new SpringApplicationBuilder(AgentRouterApplication.class).run(router.split(";"));
        }
        Thread.currentThread().join();
    }
}
