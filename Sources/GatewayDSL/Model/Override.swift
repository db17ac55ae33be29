/// Inherit the gateway-wide setting, turn it off, or replace it for one route.
public enum Override<Value: Sendable>: Sendable {
    case inherit
    case disabled
    case replaced(Value)
}
