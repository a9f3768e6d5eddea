from django.urls import path

from alliance.practice import phone, progress, views

urlpatterns = [
    # A man's own pages: no login, nothing else reachable from them.
    path("p/<str:token>/", phone.homework, name="practice-phone"),
    path("p/<str:token>/do/<int:assignment_id>/", phone.do_practice, name="practice-phone-do"),
    path("p/<str:token>/account/", phone.accountability, name="practice-phone-account"),
    path("p/<str:token>/reminders/", phone.reminders, name="practice-phone-reminders"),
    path("p/<str:token>/progress/", progress.progress, name="practice-phone-progress"),
    # The same pages through his practice session (signed in with his code and PIN).
    path("practice/sign-in/", phone.sign_in, name="practice-sign-in"),
    path("practice/sign-out/", phone.sign_out, name="practice-sign-out"),
    path("practice/", phone.homework, name="practice-me"),
    path("practice/do/<int:assignment_id>/", phone.do_practice, name="practice-me-do"),
    path("practice/account/", phone.accountability, name="practice-me-account"),
    path("practice/reminders/", phone.reminders, name="practice-me-reminders"),
    path("practice/progress/", progress.progress, name="practice-me-progress"),
    path(
        "enrollments/<int:enrollment_id>/reminders/",
        views.reminder_settings,
        name="practice-reminders",
    ),
    # Staff.
    path("practices/", views.library, name="practice-library"),
    path("practices/new/", views.edit_practice, name="practice-new"),
    path("practices/<int:practice_id>/", views.practice_page, name="practice"),
    path("practices/<int:practice_id>/edit/", views.edit_practice, name="practice-edit"),
    path("groups/<int:group_id>/homework/", views.assign_to_group, name="homework-group"),
    path("enrollments/<int:enrollment_id>/homework/", views.assign_to_man, name="homework-man"),
    path(
        "enrollments/<int:enrollment_id>/practice-link/",
        views.create_link,
        name="practice-link",
    ),
    path(
        "enrollments/<int:enrollment_id>/practice-pin/",
        views.practice_pin,
        name="practice-pin",
    ),
    path("enrollments/<int:enrollment_id>/plan/", views.plan_goal, name="plan-goal"),
    path("plan-goals/<int:goal_id>/status/", views.plan_goal_status, name="plan-goal-status"),
    path(
        "participants/<int:participant_id>/practice/",
        views.participant_practice,
        name="participant-practice",
    ),
    path("accountability/<int:log_id>/feedback/", views.feedback, name="accountability-feedback"),
    path("self-practice/", views.self_practice, name="self-practice"),
    path("self-practice/state/", views.facilitator_state, name="facilitator-state"),
    path("programs/<int:program_id>/practice/", views.program_practice, name="program-practice"),
]
