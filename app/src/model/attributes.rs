//! What a participant says about a mark besides where and what: when it happens, how often,
//! since when and who it affects. Each is a closed list of choices, so a form can offer them
//! as big buttons and the merge engine can count them.

use serde::{Deserialize, Serialize};

/// Declares a closed list of choices with its stable wire code and both labels.
macro_rules! choices {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $code:literal, $es:literal, $en:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $code)] $variant,)+
        }

        impl $name {
            /// In the order a form shows them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }
            pub fn label_es(self) -> &'static str {
                match self { $($name::$variant => $es,)+ }
            }
            pub fn label_en(self) -> &'static str {
                match self { $($name::$variant => $en,)+ }
            }
        }
    };
}

choices! {
    /// The time bands people name in workshops.
    TimeOfDay {
        Morning = "manana", "Mañana", "Morning";
        Afternoon = "tarde", "Tarde", "Afternoon";
        Night = "noche", "Noche", "Night";
        SmallHours = "madrugada", "Madrugada", "Small hours";
    }
}

choices! {
    Days {
        Weekdays = "entre_semana", "Entre semana", "Weekdays";
        Weekend = "fin_de_semana", "Fin de semana", "Weekend";
    }
}

choices! {
    Frequency {
        Sometimes = "a_veces", "A veces", "Sometimes";
        Often = "frecuente", "Frecuente", "Often";
        Always = "permanente", "Permanente", "All the time";
    }
}

choices! {
    /// Since when it happens: rough bands, because nobody remembers a date in a workshop.
    Since {
        Weeks = "semanas", "Hace unas semanas", "A few weeks";
        Months = "meses", "Hace meses", "Months";
        Year = "un_ano", "Hace un año o más", "A year or more";
        Years = "anos", "Hace muchos años", "Many years";
    }
}

choices! {
    /// Who is affected, as groups (never a named person).
    Affected {
        Children = "ninos", "Niños y niñas", "Children";
        Youth = "jovenes", "Jóvenes", "Young people";
        Women = "mujeres", "Mujeres", "Women";
        Elderly = "adultos_mayores", "Adultos mayores", "Older people";
        Shopkeepers = "comerciantes", "Comerciantes", "Shopkeepers";
        Students = "estudiantes", "Estudiantes", "Students";
        Drivers = "conductores", "Conductores y mototaxistas", "Drivers";
        Everyone = "toda_la_comunidad", "Toda la comunidad", "Everyone";
    }
}

/// A mark's attributes. Lists hold each choice at most once, in the order of `ALL`, so the
/// same answers always have the same form (and the same bytes on the wire).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attributes {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub times: Vec<TimeOfDay>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub days: Vec<Days>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frequency: Option<Frequency>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<Since>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub affected: Vec<Affected>,
    /// "Yo también lo he visto": the mark of another participant this one confirms. The +1
    /// is a mark of its own (same category and place, its own alias and answers), so the merge
    /// counts it like any other; the link says where it came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirms: Option<uuid::Uuid>,
}

impl Attributes {
    /// Whether every list is sorted and without repeats.
    pub fn is_canonical(&self) -> bool {
        fn strictly_sorted<T: Ord>(v: &[T]) -> bool {
            v.windows(2).all(|w| w[0] < w[1])
        }
        strictly_sorted(&self.times) && strictly_sorted(&self.days) && strictly_sorted(&self.affected)
    }

    /// Adds `choice` to `list` or takes it out, keeping the list canonical: what a chip does.
    pub fn toggle<T: Ord + Copy>(list: &mut Vec<T>, choice: T) {
        match list.binary_search(&choice) {
            Ok(i) => {
                list.remove(i);
            }
            Err(i) => list.insert(i, choice),
        }
    }

    /// A short summary for lists: "Noche · Fin de semana · Frecuente".
    pub fn summary_es(&self) -> String {
        let mut parts: Vec<&str> = self.times.iter().map(|t| t.label_es()).collect();
        parts.extend(self.days.iter().map(|d| d.label_es()));
        parts.extend(self.frequency.map(|f| f.label_es()));
        parts.join(" · ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_round_trip() {
        for t in TimeOfDay::ALL {
            let json = serde_json::to_string(t).unwrap();
            assert_eq!(json, format!("\"{}\"", t.code()));
            assert_eq!(serde_json::from_str::<TimeOfDay>(&json).unwrap(), *t);
        }
        let codes: std::collections::BTreeSet<_> = Affected::ALL.iter().map(|a| a.code()).collect();
        assert_eq!(codes.len(), Affected::ALL.len());
    }

    #[test]
    fn toggling_keeps_the_list_sorted_and_unique() {
        let mut a = Attributes::default();
        Attributes::toggle(&mut a.times, TimeOfDay::SmallHours);
        Attributes::toggle(&mut a.times, TimeOfDay::Morning);
        Attributes::toggle(&mut a.times, TimeOfDay::Night);
        assert_eq!(a.times, vec![TimeOfDay::Morning, TimeOfDay::Night, TimeOfDay::SmallHours]);
        Attributes::toggle(&mut a.times, TimeOfDay::Night);
        assert_eq!(a.times, vec![TimeOfDay::Morning, TimeOfDay::SmallHours]);
        assert!(a.is_canonical());
        a.times.push(TimeOfDay::Morning);
        assert!(!a.is_canonical());
    }

    #[test]
    fn an_unknown_choice_is_refused() {
        assert!(serde_json::from_str::<Frequency>("\"siempre\"").is_err());
    }

    #[test]
    fn the_summary_reads_like_speech() {
        let a = Attributes {
            times: vec![TimeOfDay::Night],
            days: vec![Days::Weekend],
            frequency: Some(Frequency::Often),
            ..Default::default()
        };
        assert_eq!(a.summary_es(), "Noche · Fin de semana · Frecuente");
    }
}
