package dev.switchboard.controlplane.dashboard;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository;
import org.springframework.session.MapSession;
import org.springframework.session.ReactiveSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.SessionIdGenerator;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * Dashboard sessions in PostgreSQL, so that any control plane behind a load balancer serves any request of a
 * logged-in person, a logout or an expiry is seen by all of them, and a restart logs nobody out. Spring
 * Session does the session mechanics (ids, fixation protection on login, the WebFlux adapter); this class only
 * stores them, as Spring Session has no reactive JDBC repository.
 * <p>
 * Attributes (the security context, the CSRF token, the page to return to) are Java-serialized and read back
 * through an allow-list of classes. A session is written when it changed, and otherwise at most every
 * {@link #TOUCH_EVERY} (a quarter of the idle timeout when that is shorter) to move its expiry on, so the
 * panels' polling does not write on every request.
 */
@Repository
class StoredSessions implements ReactiveSessionRepository<StoredSessions.StoredSession> {

    private static final Logger LOG = LoggerFactory.getLogger(StoredSessions.class);
    static final Duration TOUCH_EVERY = Duration.ofSeconds(30);
    private static final Duration SWEEP_EVERY = Duration.ofMinutes(1);
    private static final ObjectInputFilter ALLOWED = ObjectInputFilter.Config.createFilter(
            "maxdepth=20;maxrefs=2000;maxbytes=65536;java.lang.*;java.util.*;java.time.*;java.net.URI;"
                    + "org.springframework.security.**;dev.switchboard.**;!*");

    private final DatabaseClient db;
    private final DashboardProperties properties;
    private final AtomicLong lastSweep = new AtomicLong();
    private final SessionIdGenerator ids = new RandomIds();

    StoredSessions(DatabaseClient db, DashboardProperties properties) {
        this.db = db;
        this.properties = properties;
    }

    @Override
    public Mono<StoredSession> createSession() {
        return Mono.fromSupplier(() -> {
            MapSession session = new MapSession(ids);
            session.setMaxInactiveInterval(properties.sessionTimeout());
            return new StoredSession(session, null, null, null);
        });
    }

    @Override
    public Mono<Void> save(StoredSession session) {
        byte[] attributes = serialize(session.delegate);
        Instant lastAccessed = session.getLastAccessedTime();
        Duration touchEvery = min(TOUCH_EVERY, session.getMaxInactiveInterval().dividedBy(4));
        boolean unchanged = session.getId().equals(session.id) && Arrays.equals(attributes, session.attributes)
                && session.maxIdle.equals(session.getMaxInactiveInterval())
                && session.touched.plus(touchEvery).isAfter(lastAccessed);
        if (unchanged) {
            return Mono.empty();
        }
        Duration maxIdle = session.getMaxInactiveInterval();
        Mono<Void> forgetOldId = session.id == null || session.id.equals(session.getId()) ? Mono.empty()
                : deleteById(session.id);
        Mono<Void> write = db.sql("INSERT INTO dashboard_sessions (id, username, created_at, last_accessed_at, "
                        + "max_idle_seconds, expires_at, attributes) VALUES (:id, :username, :created, :accessed, "
                        + ":idle, :expires, :attributes) ON CONFLICT (id) DO UPDATE SET username = excluded.username, "
                        + "last_accessed_at = excluded.last_accessed_at, max_idle_seconds = excluded.max_idle_seconds, "
                        + "expires_at = excluded.expires_at, attributes = excluded.attributes")
                .bind("id", session.getId())
                .bind("username", username(session).orElse(""))
                .bind("created", utc(session.getCreationTime()))
                .bind("accessed", utc(lastAccessed))
                .bind("idle", (int) maxIdle.toSeconds())
                .bind("expires", utc(lastAccessed.plus(maxIdle)))
                .bind("attributes", attributes)
                .then()
                .doOnSuccess(done -> session.stored(attributes));
        return forgetOldId.then(write).then(sweep());
    }

    @Override
    public Mono<StoredSession> findById(String id) {
        return db.sql("SELECT created_at, last_accessed_at, max_idle_seconds, attributes FROM dashboard_sessions "
                        + "WHERE id = :id AND expires_at > now()")
                .bind("id", id)
                .map((row, meta) -> {
                    MapSession session = new MapSession(id);
                    session.setSessionIdGenerator(ids);
                    session.setCreationTime(row.get("created_at", OffsetDateTime.class).toInstant());
                    session.setLastAccessedTime(row.get("last_accessed_at", OffsetDateTime.class).toInstant());
                    session.setMaxInactiveInterval(Duration.ofSeconds(row.get("max_idle_seconds", Integer.class)));
                    byte[] attributes = bytes(row.get("attributes"));
                    Map<String, Object> values = deserialize(attributes);
                    if (values == null) {
                        return new StoredSession(null, null, null, null);
                    }
                    values.forEach(session::setAttribute);
                    return new StoredSession(session, id, attributes, session.getLastAccessedTime());
                })
                .one()
                .filter(s -> s.delegate != null && !s.isExpired());
    }

    @Override
    public Mono<Void> deleteById(String id) {
        return db.sql("DELETE FROM dashboard_sessions WHERE id = :id").bind("id", id).then();
    }

    /** Drops expired sessions, at most once a minute per instance, on the back of a write. */
    private Mono<Void> sweep() {
        long now = System.nanoTime();
        long last = lastSweep.get();
        if (last != 0 && now - last < SWEEP_EVERY.toNanos() || !lastSweep.compareAndSet(last, now)) {
            return Mono.empty();
        }
        return db.sql("DELETE FROM dashboard_sessions WHERE expires_at < now()").then();
    }

    private static java.util.Optional<String> username(Session session) {
        Object context = session.getAttribute(WebSessionServerSecurityContextRepository.DEFAULT_SPRING_SECURITY_CONTEXT_ATTR_NAME);
        if (context instanceof SecurityContext sc && sc.getAuthentication() != null) {
            return java.util.Optional.ofNullable(sc.getAuthentication().getName());
        }
        return java.util.Optional.empty();
    }

    private static byte[] serialize(MapSession session) {
        HashMap<String, Object> values = new HashMap<>();
        for (String name : session.getAttributeNames()) {
            Object value = session.getAttribute(name);
            if (value instanceof Serializable) {
                values.put(name, value);
            } else if (value != null) {
                LOG.warn("session attribute {} ({}) is not serializable and is not kept", name, value.getClass().getName());
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (ObjectOutputStream stream = new ObjectOutputStream(out)) {
            stream.writeObject(values);
        } catch (IOException e) {
            throw new IllegalStateException("cannot store the session", e);
        }
        return out.toByteArray();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deserialize(byte[] bytes) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            in.setObjectInputFilter(ALLOWED);
            return (Map<String, Object>) in.readObject();
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            // an older or foreign shape: the person logs in again
            LOG.info("a stored dashboard session could not be read and is ignored: {}", e.toString());
            return null;
        }
    }

    private static byte[] bytes(Object value) {
        if (value instanceof byte[] b) {
            return b;
        }
        if (value instanceof java.nio.ByteBuffer buffer) {
            byte[] b = new byte[buffer.remaining()];
            buffer.get(b);
            return b;
        }
        throw new IllegalStateException("unexpected bytea value " + value);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    /**
     * 256-bit random session ids from a DRBG seeded once at start, so that making one never reads the OS
     * entropy device on an event loop.
     */
    private static final class RandomIds implements SessionIdGenerator {

        private final java.security.SecureRandom random;

        RandomIds() {
            try {
                random = java.security.SecureRandom.getInstance("DRBG");
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            random.nextBytes(new byte[32]);
        }

        @Override
        public String generate() {
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        }
    }

    /** A session with what was last stored of it, to tell whether it needs writing. */
    static final class StoredSession implements Session {

        private final MapSession delegate;
        private String id;
        private byte[] attributes;
        private Instant touched;
        private Duration maxIdle;

        StoredSession(MapSession delegate, String id, byte[] attributes, Instant touched) {
            this.delegate = delegate;
            this.id = id;
            this.attributes = attributes;
            this.touched = touched == null ? Instant.EPOCH : touched;
            this.maxIdle = delegate == null ? Duration.ZERO
                    : id == null ? Duration.ZERO : delegate.getMaxInactiveInterval();
        }

        private void stored(byte[] attributes) {
            this.id = delegate.getId();
            this.attributes = attributes;
            this.touched = delegate.getLastAccessedTime();
            this.maxIdle = delegate.getMaxInactiveInterval();
        }

        @Override
        public String getId() {
            return delegate.getId();
        }

        @Override
        public String changeSessionId() {
            return delegate.changeSessionId();
        }

        @Override
        public <T> T getAttribute(String name) {
            return delegate.getAttribute(name);
        }

        @Override
        public Set<String> getAttributeNames() {
            return delegate.getAttributeNames();
        }

        @Override
        public void setAttribute(String name, Object value) {
            delegate.setAttribute(name, value);
        }

        @Override
        public void removeAttribute(String name) {
            delegate.removeAttribute(name);
        }

        @Override
        public Instant getCreationTime() {
            return delegate.getCreationTime();
        }

        @Override
        public void setLastAccessedTime(Instant lastAccessedTime) {
            delegate.setLastAccessedTime(lastAccessedTime);
        }

        @Override
        public Instant getLastAccessedTime() {
            return delegate.getLastAccessedTime();
        }

        @Override
        public void setMaxInactiveInterval(Duration interval) {
            delegate.setMaxInactiveInterval(interval);
        }

        @Override
        public Duration getMaxInactiveInterval() {
            return delegate.getMaxInactiveInterval();
        }

        @Override
        public boolean isExpired() {
            return delegate.isExpired();
        }
    }
}
