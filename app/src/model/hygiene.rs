//! Device hygiene (issue 9): what wiping a shared device covers, and why it must wait. A
//! workshop's data, or everything a participant left, may leave a device only once the server
//! holds all of it: anything still unsent (or refused, and so still only here) stops the wipe.

use uuid::Uuid;

/// What is to be wiped from this device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WipeScope {
    /// One workshop: its records (from every device of it), its token and its aliases.
    Workshop(Uuid),
    /// Everything personal: every record, workshop and alias (the barrio maps stay).
    Everything,
}

impl WipeScope {
    /// Whether a record of `workshop_id` is wiped.
    pub fn covers(self, workshop_id: Option<Uuid>) -> bool {
        match self {
            WipeScope::Workshop(id) => workshop_id == Some(id),
            WipeScope::Everything => true,
        }
    }
}

/// Changes in the scope that the server does not hold yet.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Unsent {
    pub waiting: u32,
    pub refused: u32,
}

impl Unsent {
    /// From the outbox's entries as `(workshop of the record, refused?)`; `None` when nothing in
    /// `scope` waits, so wiping it loses nothing.
    pub fn of(scope: WipeScope, entries: impl IntoIterator<Item = (Option<Uuid>, bool)>) -> Option<Unsent> {
        let mut u = Unsent::default();
        for (_, refused) in entries.into_iter().filter(|(w, _)| scope.covers(*w)) {
            if refused {
                u.refused += 1;
            } else {
                u.waiting += 1;
            }
        }
        (u != Unsent::default()).then_some(u)
    }

    /// Why the wipe was refused, and what to do, in words for the person holding the device.
    pub fn message_es(&self) -> String {
        let n = |k: u32| super::words::count_es(k, "cambio", "cambios");
        let mut parts = Vec::new();
        if self.waiting > 0 {
            parts.push(format!("{} sin enviar: conéctese a internet y pulse «Sincronizar ahora»", n(self.waiting)));
        }
        if self.refused > 0 {
            parts.push(format!("{} que el servidor rechazó: revíselos en «Envío de datos» o pida ayuda al equipo", n(self.refused)));
        }
        format!("No se borró nada. Hay {}. Cuando todo esté enviado podrá borrar.", parts.join("; y "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wipe_waits_for_what_only_this_device_holds() {
        let a = Uuid::from_u128(1);
        let b = Uuid::from_u128(2);
        let entries = [(Some(a), false), (Some(a), true), (Some(b), false), (None, false)];
        assert_eq!(Unsent::of(WipeScope::Workshop(a), entries), Some(Unsent { waiting: 1, refused: 1 }));
        assert_eq!(Unsent::of(WipeScope::Workshop(Uuid::from_u128(3)), entries), None, "another workshop's changes do not stop it");
        assert_eq!(Unsent::of(WipeScope::Everything, entries), Some(Unsent { waiting: 3, refused: 1 }));
        assert_eq!(Unsent::of(WipeScope::Everything, []), None);
        let m = Unsent { waiting: 2, refused: 1 }.message_es();
        assert!(m.starts_with("No se borró nada") && m.contains("2 cambios sin enviar") && m.contains("1 cambio que el servidor rechazó"), "{m}");
        assert!(!WipeScope::Workshop(a).covers(None) && WipeScope::Everything.covers(None));
    }
}
