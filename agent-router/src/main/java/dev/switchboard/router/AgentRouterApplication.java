package dev.switchboard.router;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class AgentRouterApplication {

    public static void main(String[] args) {
        SpringApplication.run(AgentRouterApplication.class, args);
    }
}
