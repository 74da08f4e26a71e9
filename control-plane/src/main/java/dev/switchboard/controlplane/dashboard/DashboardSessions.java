package dev.switchboard.controlplane.dashboard;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.session.web.server.session.SpringSessionWebSessionStore;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import org.springframework.web.server.session.DefaultWebSessionManager;
import org.springframework.web.server.session.WebSessionManager;

/**
 * WebFlux sessions through Spring Session, stored in PostgreSQL ({@link StoredSessions}), with the dashboard's
 * cookie ({@link SessionCookie}). Signed stateless cookies were the other choice; they were not taken because a
 * logout could not end a stolen cookie, the CSRF token and the page to return to would travel in the cookie
 * too, and every control plane would need the same signing key.
 */
@Configuration(proxyBeanMethods = false)
class DashboardSessions {

    @Bean(WebHttpHandlerBuilder.WEB_SESSION_MANAGER_BEAN_NAME)
    WebSessionManager webSessionManager(StoredSessions sessions, DashboardProperties properties) {
        DefaultWebSessionManager manager = new DefaultWebSessionManager();
        manager.setSessionStore(new SpringSessionWebSessionStore<>(sessions));
        manager.setSessionIdResolver(new SessionCookie(properties.secureCookie()));
        return manager;
    }
}
