from django.core.checks import Info, register


@register(deploy=True)
def signing_key_configured(app_configs, **kwargs):
    """Open Badges 3.0 endpoints answer 503 until a signing key is configured: say so, quietly."""
    from .signing_keys import key_ring

    try:
        ring = key_ring()
    except (OSError, ValueError) as exc:
        return [Info(f"The certificate signing keys cannot be read: {exc}", id="certificates.I002")]
    if ring:
        return []
    return [
        Info(
            "No Open Badges 3.0 signing key is configured; signed credentials answer 503.",
            hint="Set CERTIFICATE_KEYS_DIR and run `manage.py certificate_keys create`, "
            "or set CERTIFICATE_SIGNING_KEYS.",
            id="certificates.I001",
        )
    ]
