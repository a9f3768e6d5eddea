"""The organization admin's settings: set-up checklist, organization details, sites, history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alliance.organizations import selectors, services
from alliance.organizations.forms import OrganizationForm, SiteForm
from alliance.organizations.letterhead import letterhead
from alliance.organizations.logo import LogoRefused
from alliance.organizations.permissions import access_site, require_org_admin
from alliance.organizations.setup import setup_checklist


@login_required
@require_GET
def settings_home(request: HttpRequest) -> HttpResponse:
    """Settings: the set-up checklist (kept here once done) and links to every settings page."""
    membership = require_org_admin(request.user)
    organization = membership.organization
    context = {"organization": organization, "checklist": setup_checklist(organization)}
    return render(request, "organizations/settings_home.html", context)


@login_required
@require_POST
def confirm_step(request: HttpRequest) -> HttpResponse:
    membership = require_org_admin(request.user)
    step = request.POST.get("step", "")
    if step not in services.CONFIRMABLE_STEPS:
        return render(
            request,
            "organizations/settings_home.html",
            {
                "organization": membership.organization,
                "checklist": setup_checklist(membership.organization),
                "error": "step: choose a step that can be confirmed by hand.",
            },
            status=400,
        )
    services.confirm_setup_step(organization=membership.organization, step=step)
    messages.success(request, "Step marked as done.")
    return redirect("home" if request.POST.get("back") == "home" else "settings")


@login_required
@require_http_methods(["GET", "POST"])
def organization_settings(request: HttpRequest) -> HttpResponse:
    membership = require_org_admin(request.user)
    organization = membership.organization
    form = OrganizationForm(instance=organization)
    status = 200
    if request.method == "POST":
        form = OrganizationForm(request.POST, request.FILES, instance=organization)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.update_organization(
                    organization=organization,
                    name=data["name"],
                    time_zone=data["time_zone"],
                    address=data["address"],
                    phone=data["phone"],
                    signature_block=data["signature_block"],
                    logo=data["logo_upload"],
                    remove_logo=data["remove_logo"],
                    facilitator_identity=data["facilitator_identity"],
                )
            except LogoRefused as refused:
                form.add_error("logo_upload", str(refused))
            else:
                messages.success(request, "Organization details saved.")
                return redirect("settings-organization")
        organization.refresh_from_db()
        status = 400
    context = {
        "form": form,
        "organization": organization,
        "letterhead": letterhead(organization),
    }
    return render(request, "organizations/organization_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def site_list(request: HttpRequest) -> HttpResponse:
    """Every site, and a form to add one."""
    membership = require_org_admin(request.user)
    organization = membership.organization
    form = SiteForm(organization=organization, initial={"time_zone": organization.time_zone})
    status = 200
    if request.method == "POST":
        form = SiteForm(request.POST, organization=organization)
        if form.is_valid():
            site = services.save_site(organization=organization, site=None, **form.cleaned_data)
            messages.success(request, f"Site {site.name} added.")
            return redirect("settings-sites")
        status = 400
    context = {"form": form, "sites": selectors.sites_of(organization)}
    return render(request, "organizations/sites.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def site_edit(request: HttpRequest, site_id: int) -> HttpResponse:
    site = access_site(request.user, site_id)
    form = SiteForm(instance=site, organization=site.organization)
    status = 200
    if request.method == "POST":
        form = SiteForm(request.POST, instance=site, organization=site.organization)
        if form.is_valid():
            services.save_site(organization=site.organization, site=site, **form.cleaned_data)
            messages.success(request, "Site saved.")
            return redirect("settings-sites")
        site.refresh_from_db()
        status = 400
    return render(
        request, "organizations/site_form.html", {"form": form, "site": site}, status=status
    )


@login_required
@require_POST
def site_active(request: HttpRequest, site_id: int) -> HttpResponse:
    """Close or reopen a site (``active`` = 0 or 1)."""
    site = access_site(request.user, site_id)
    active = request.POST.get("active", "")
    if active not in ("0", "1"):
        form = SiteForm(instance=site, organization=site.organization)
        context = {"form": form, "site": site, "error": "active: choose close or reopen."}
        return render(request, "organizations/site_form.html", context, status=400)
    services.set_site_active(site=site, active=active == "1")
    messages.success(request, f"Site {site.name} {'reopened' if active == '1' else 'closed'}.")
    return redirect("settings-sites")


@login_required
@require_GET
def settings_history(request: HttpRequest) -> HttpResponse:
    membership = require_org_admin(request.user)
    rows = selectors.settings_history(membership.organization)
    return render(request, "organizations/history.html", {"rows": rows})
