package dev.switchboard.router.intake;

import org.springframework.stereotype.Component;

/** Step 3, parse: the provider fields the router needs (only after the signature passed). */
@Component
class ParseStep {

    private final EventParser parser;

    ParseStep(EventParser parser) {
        this.parser = parser;
    }

    WebhookExchange apply(WebhookExchange x) {
        x.event = parser.parse(x.provider, x.body, x.form, x.headers::get);
        return x;
    }
}
