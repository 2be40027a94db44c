"""Error codes of the SMS outbox and templates; each names its kind, and so its HTTP status."""
from sunshine.core.errors import ErrorCode, Kind


class NotifyErrorCode(ErrorCode):
    SMS_KEY_INVALID = "sms_key_invalid"
    SMS_TEMPLATE_UNKNOWN = "sms_template_unknown"
    SMS_TEMPLATE_EMPTY = "sms_template_empty"
    SMS_TEMPLATE_TOO_LONG = "sms_template_too_long"
    SMS_TEMPLATE_BRACE = "sms_template_brace"
    SMS_TEMPLATE_UNKNOWN_PARAM = "sms_template_unknown_param"
    SMS_PARAMS_MISSING = "sms_params_missing"
    # Delivery receipts pushed by the gateways
    RECEIPT_TOKEN_INVALID = "receipt_token_invalid", Kind.FORBIDDEN
    RECEIPT_TOO_LARGE = "receipt_too_large"
    RECEIPT_INVALID_JSON = "receipt_invalid_json"
