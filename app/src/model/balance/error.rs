//! Why a catalogue edit, an ISCB definition, a prioritisation or an oficio was refused, in
//! Spanish and English.

use thiserror::Error;

use crate::model::Bilingual;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum BalanceError {
    #[error("an indicator code is lower-case letters, digits and _, at most 40 characters")]
    BadIndicatorCode,
    #[error("an indicator needs a name of at most 120 characters")]
    BadIndicatorName,
    #[error("a text is over its limit")]
    TooLong,
    #[error("the index needs at least one component")]
    NoComponents,
    #[error("the index has more than {0} components")]
    TooManyComponents(usize),
    #[error("indicator {0} is not in the catalogue, or is inactive")]
    UnknownIndicator(String),
    #[error("indicator {0} is named twice")]
    RepeatedIndicator(String),
    #[error("weights are positive, finite numbers")]
    BadWeight,
    #[error("no barrio was chosen")]
    NothingChosen,
    #[error("each barrio chosen needs a reason")]
    ReasonMissing,
    #[error("barrio {0} is not in the balance's city")]
    UnknownBarrio(i64),
    #[error("barrio {0} is chosen twice")]
    RepeatedBarrio(i64),
    #[error("a date is YYYY-MM-DD and a time HH:MM")]
    BadDate,
    #[error("the oficio needs {0}")]
    OficioMissing(&'static str),
}

impl BalanceError {
    pub fn code(&self) -> &'static str {
        match self {
            BalanceError::BadIndicatorCode => "bad_indicator_code",
            BalanceError::BadIndicatorName => "bad_indicator_name",
            BalanceError::TooLong => "text_too_long",
            BalanceError::NoComponents => "no_components",
            BalanceError::TooManyComponents(_) => "too_many_components",
            BalanceError::UnknownIndicator(_) => "unknown_indicator",
            BalanceError::RepeatedIndicator(_) => "repeated_indicator",
            BalanceError::BadWeight => "bad_weight",
            BalanceError::NothingChosen => "nothing_chosen",
            BalanceError::ReasonMissing => "reason_missing",
            BalanceError::UnknownBarrio(_) => "unknown_barrio",
            BalanceError::RepeatedBarrio(_) => "repeated_barrio",
            BalanceError::BadDate => "bad_date",
            BalanceError::OficioMissing(_) => "oficio_incomplete",
        }
    }
}

impl Bilingual for BalanceError {
    fn es(&self) -> String {
        match self {
            BalanceError::BadIndicatorCode => "El código del indicador lleva minúsculas sin tildes, números y _, hasta 40 caracteres.".into(),
            BalanceError::BadIndicatorName => "El indicador necesita un nombre de hasta 120 caracteres.".into(),
            BalanceError::TooLong => "Un texto pasa de su límite.".into(),
            BalanceError::NoComponents => "El índice necesita al menos un indicador.".into(),
            BalanceError::TooManyComponents(n) => format!("El índice admite hasta {n} indicadores."),
            BalanceError::UnknownIndicator(c) => format!("El indicador «{c}» no está en el catálogo o está inactivo."),
            BalanceError::RepeatedIndicator(c) => format!("El indicador «{c}» está dos veces."),
            BalanceError::BadWeight => "Los pesos son números positivos.".into(),
            BalanceError::NothingChosen => "Elija al menos un barrio.".into(),
            BalanceError::ReasonMissing => "Cada barrio elegido necesita el motivo de la elección.".into(),
            BalanceError::UnknownBarrio(id) => format!("El barrio {id} no es de la ciudad del balance."),
            BalanceError::RepeatedBarrio(id) => format!("El barrio {id} está elegido dos veces."),
            BalanceError::BadDate => "La fecha va como AAAA-MM-DD y la hora como HH:MM.".into(),
            BalanceError::OficioMissing(what) => format!("Al oficio le falta {what}."),
        }
    }

    fn en(&self) -> String {
        self.to_string()
    }
}
