"""Text messages to men who agreed to them: reminders, links, session changes; never clinical.

Backends like Django's e-mail backends (:mod:`alliance.sms.backends`); consent, limits and the
delivery log in :mod:`alliance.sms.services`; Twilio's webhooks (STOP, delivery receipts) in
:mod:`alliance.sms.views`. docs/sms.md.
"""
