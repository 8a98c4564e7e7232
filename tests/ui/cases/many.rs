use api_errors::api_errors;

// Every problem at once, and the count past 50.

// many problems at once
#[api_errors(spec = "specs/many.yaml")]
pub enum ManyProblemsAtOnce {}

// sixty problems
#[api_errors(spec = "specs/sixty_problems.yaml")]
pub enum SixtyProblems {}

fn main() {}
