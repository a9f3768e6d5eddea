from django.urls import path

from alliance.organizations import settings_views, staff_views, views

urlpatterns = [
    path("two-factor/", views.two_factor_verify, name="two-factor-verify"),
    path("two-factor/setup/", views.two_factor_setup, name="two-factor-setup"),
    path(
        "two-factor/recovery-codes/",
        views.two_factor_recovery_codes,
        name="two-factor-recovery-codes",
    ),
    # The organization admin's settings.
    path("settings/", settings_views.settings_home, name="settings"),
    path("settings/setup/confirm/", settings_views.confirm_step, name="settings-confirm-step"),
    path(
        "settings/organization/",
        settings_views.organization_settings,
        name="settings-organization",
    ),
    path("settings/sites/", settings_views.site_list, name="settings-sites"),
    path("settings/sites/<int:site_id>/", settings_views.site_edit, name="settings-site"),
    path(
        "settings/sites/<int:site_id>/active/",
        settings_views.site_active,
        name="settings-site-active",
    ),
    path("settings/staff/", staff_views.staff_list, name="settings-staff"),
    path(
        "settings/staff/<int:membership_id>/",
        staff_views.staff_member,
        name="settings-staff-member",
    ),
    path(
        "settings/staff/<int:membership_id>/deactivate/",
        staff_views.staff_deactivate,
        name="settings-staff-deactivate",
    ),
    path(
        "settings/invitations/<int:invitation_id>/withdraw/",
        staff_views.invitation_revoke,
        name="settings-invitation-withdraw",
    ),
    path("settings/history/", settings_views.settings_history, name="settings-history"),
    # The invitee, before he has an account.
    path("staff/invitation/<str:token>/", staff_views.accept_invitation, name="staff-invitation"),
]
