#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design
//! `authorize`: every role against every relation.

mod common;
use common::*;
use domain::event::EventKind;
use domain::permission::{Action, CaseParties, Denied, Field, Role, User, authorize, may_read};
use domain::status::{CaseState, derive};

fn routed() -> CaseState {
    derive(&chain(vec![EventKind::Submit, route_online()]))
}

fn check(u: &User, state: &CaseState, action: Action<'_>) -> Result<(), Denied> {
    authorize(u, &CaseParties { enterprise: "ent-1", district: "boluo", state }, action)
}

#[test]
fn enterprise_cannot_resolve_its_own_case() {
    assert_eq!(check(&filer(), &routed(), Action::Append(&resolve())), Err(Denied::WrongRole));
    assert_eq!(check(&lead_officer(), &routed(), Action::Append(&resolve())), Ok(()));
}

#[test]
fn only_the_lead_department_replies() {
    let reply = EventKind::ReplyOnline { text: "x".into() };
    assert_eq!(check(&lead_officer(), &routed(), Action::Append(&reply)), Ok(()));
    assert_eq!(check(&assisting_officer(), &routed(), Action::Append(&reply)), Err(Denied::WrongRole));
    assert_eq!(check(&unrelated_officer(), &routed(), Action::Append(&reply)), Err(Denied::NotAParty));
    assert_eq!(check(&filer(), &routed(), Action::Append(&reply)), Err(Denied::WrongRole));
}

#[test]
fn assisting_departments_post_progress() {
    let progress = EventKind::PostProgress { text: "x".into() };
    assert_eq!(check(&assisting_officer(), &routed(), Action::Append(&progress)), Ok(()));
}

#[test]
fn coordinators_of_the_district_and_the_city_triage() {
    let submitted = derive(&chain(vec![EventKind::Submit]));
    let route = route_online();
    assert_eq!(check(&coordinator(), &submitted, Action::Append(&route)), Ok(()));
    assert_eq!(check(&city_coordinator(), &submitted, Action::Append(&route)), Ok(()));
    assert_eq!(check(&other_coordinator(), &submitted, Action::Append(&route)), Err(Denied::NotAParty));
    assert_eq!(check(&lead_officer(), &submitted, Action::Append(&route)), Err(Denied::NotAParty));
}

#[test]
fn leaders_decide_and_enterprises_rate() {
    let s = routed();
    assert_eq!(check(&leader(), &s, Action::Append(&decide(&[]))), Ok(()));
    assert_eq!(check(&coordinator(), &s, Action::Append(&decide(&[]))), Err(Denied::WrongRole));
    assert_eq!(check(&filer(), &s, Action::Append(&rate(85))), Ok(()));
    assert_eq!(check(&other_enterprise(), &s, Action::Append(&rate(85))), Err(Denied::NotAParty));
    assert_eq!(check(&lead_officer(), &s, Action::Append(&rate(100))), Err(Denied::WrongRole));
}

#[test]
fn admin_reads_everything_but_works_no_case() {
    let s = routed();
    assert!(may_read(&admin(), &CaseParties { enterprise: "ent-1", district: "boluo", state: &s }));
    assert_eq!(check(&admin(), &s, Action::Append(&resolve())), Err(Denied::NotAParty));
}

#[test]
fn read_access_follows_the_parties() {
    let s = routed();
    let parties = CaseParties { enterprise: "ent-1", district: "boluo", state: &s };
    for (u, expected) in [
        (filer(), true),
        (other_enterprise(), false),
        (lead_officer(), true),
        (assisting_officer(), true),
        (unrelated_officer(), false),
        (coordinator(), true),
        (other_coordinator(), false),
        (leader(), true),
        (user(Role::Leader, None, Some("huidong")), false),
    ] {
        assert_eq!(may_read(&u, &parties), expected, "{u:?}");
    }
}

#[test]
fn appeal_is_editable_as_a_draft_only() {
    let draft = derive(&[]);
    assert_eq!(check(&filer(), &draft, Action::Edit(Field::Appeal)), Ok(()));
    assert_eq!(check(&filer(), &routed(), Action::Edit(Field::Appeal)), Err(Denied::NoLongerEditable));
    let submitted = derive(&chain(vec![EventKind::Submit]));
    assert_eq!(check(&coordinator(), &submitted, Action::Edit(Field::Appeal)), Ok(()));
    assert_eq!(check(&lead_officer(), &draft, Action::Edit(Field::Appeal)), Err(Denied::NotAParty));
}

#[test]
fn nobody_writes_the_case_number_or_public_text_but_as_allowed() {
    for u in [filer(), coordinator(), lead_officer(), leader(), admin()] {
        assert_eq!(check(&u, &routed(), Action::Edit(Field::CaseNumber)), Err(Denied::ServerOnly));
    }
    assert_eq!(check(&coordinator(), &routed(), Action::Edit(Field::PublicText)), Ok(()));
    assert_eq!(check(&filer(), &routed(), Action::Edit(Field::PublicText)), Err(Denied::WrongRole));
}
