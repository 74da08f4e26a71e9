package dev.switchboard.demo.traffic;

/**
 * One business of the demo and the numbers its calls arrive on: a Vapi phone-number id and number dialled,
 * a Twilio number and a Retell number (each registered with the control plane as an identifier).
 */
public record DemoTenant(String id, String displayName, String tier, boolean internal, String vapiPhoneNumberId,
                         String vapiNumber, String twilioNumber, String retellNumber) {
}
