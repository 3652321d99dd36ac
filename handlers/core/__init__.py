"""The neutral core: message model, router, dispatch, i18n, transport protocol, units of work."""
