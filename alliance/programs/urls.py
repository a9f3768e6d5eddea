"""Set-up pages, under the ``programs`` namespace (``programs:program_list`` and so on).

The facilitator's pages (group roster, session, attendance) keep their older names in
``alliance/urls.py``.
"""

from django.urls import path

from alliance.programs import competency_views
from alliance.programs import setup_views as views

app_name = "programs"

urlpatterns = [
    path("setup/programs/", views.program_list, name="program_list"),
    path("setup/programs/new/", views.program_create, name="program_create"),
    path("setup/programs/<int:program_id>/", views.program_detail, name="program_detail"),
    path("setup/programs/<int:program_id>/edit/", views.program_edit, name="program_edit"),
    path(
        "setup/programs/<int:program_id>/history/",
        views.program_history,
        name="program_history",
    ),
    path("setup/programs/<int:program_id>/curriculum/", views.curriculum, name="curriculum"),
    path(
        "setup/curriculum/<int:item_id>/",
        views.curriculum_session_edit,
        name="curriculum_session_edit",
    ),
    path("setup/curriculum/<int:item_id>/move/", views.curriculum_move, name="curriculum_move"),
    path(
        "setup/curriculum/<int:item_id>/remove/",
        views.curriculum_remove,
        name="curriculum_remove",
    ),
    path(
        "setup/programs/<int:program_id>/competencies/",
        competency_views.competency_list,
        name="competencies",
    ),
    path(
        "setup/programs/<int:program_id>/competencies/presets/",
        competency_views.competency_presets,
        name="competency_presets",
    ),
    path(
        "setup/competencies/<int:competency_id>/",
        competency_views.competency_edit,
        name="competency_edit",
    ),
    path(
        "setup/competencies/<int:competency_id>/move/",
        competency_views.competency_move,
        name="competency_move",
    ),
    path(
        "setup/competencies/<int:competency_id>/remove/",
        competency_views.competency_remove,
        name="competency_remove",
    ),
    path("setup/groups/new/", views.group_create, name="group_create"),
    path("setup/groups/<int:group_id>/", views.group_sessions, name="group_sessions"),
    path("setup/groups/<int:group_id>/edit/", views.group_edit, name="group_edit"),
    path("setup/groups/<int:group_id>/history/", views.group_history, name="group_history"),
    path("setup/sessions/<int:session_id>/cancel/", views.session_cancel, name="session_cancel"),
    path("setup/sessions/<int:session_id>/move/", views.session_move, name="session_move"),
    path("setup/holidays/", views.holidays, name="holidays"),
    path("setup/holidays/<int:holiday_id>/remove/", views.holiday_remove, name="holiday_remove"),
]
