//! The tree-sitter-python node kinds sparkfix reads, named once.

pub const MODULE: &str = "module";
pub const BLOCK: &str = "block";
pub const COMMENT: &str = "comment";

pub const EXPRESSION_STATEMENT: &str = "expression_statement";
pub const ASSIGNMENT: &str = "assignment";
pub const AUGMENTED_ASSIGNMENT: &str = "augmented_assignment";
pub const GLOBAL_STATEMENT: &str = "global_statement";
pub const DELETE_STATEMENT: &str = "delete_statement";
pub const AS_PATTERN: &str = "as_pattern";
pub const AS_PATTERN_TARGET: &str = "as_pattern_target";
pub const RETURN_STATEMENT: &str = "return_statement";
pub const IMPORT_STATEMENT: &str = "import_statement";
pub const IMPORT_FROM_STATEMENT: &str = "import_from_statement";
pub const FUTURE_IMPORT_STATEMENT: &str = "future_import_statement";
pub const RELATIVE_IMPORT: &str = "relative_import";
pub const ALIASED_IMPORT: &str = "aliased_import";
pub const DOTTED_NAME: &str = "dotted_name";
pub const WILDCARD_IMPORT: &str = "wildcard_import";

pub const IF_STATEMENT: &str = "if_statement";
pub const ELIF_CLAUSE: &str = "elif_clause";
pub const ELSE_CLAUSE: &str = "else_clause";
pub const FOR_STATEMENT: &str = "for_statement";
pub const WHILE_STATEMENT: &str = "while_statement";
pub const TRY_STATEMENT: &str = "try_statement";
pub const EXCEPT_CLAUSE: &str = "except_clause";
pub const EXCEPT_GROUP_CLAUSE: &str = "except_group_clause";
pub const FINALLY_CLAUSE: &str = "finally_clause";
pub const WITH_STATEMENT: &str = "with_statement";
pub const WITH_ITEM: &str = "with_item";
pub const MATCH_STATEMENT: &str = "match_statement";
pub const CASE_CLAUSE: &str = "case_clause";
pub const CASE_PATTERN: &str = "case_pattern";
pub const FUNCTION_DEFINITION: &str = "function_definition";
pub const CLASS_DEFINITION: &str = "class_definition";
pub const DECORATED_DEFINITION: &str = "decorated_definition";
pub const DECORATOR: &str = "decorator";

pub const IDENTIFIER: &str = "identifier";
pub const ATTRIBUTE: &str = "attribute";
pub const CALL: &str = "call";
pub const ARGUMENT_LIST: &str = "argument_list";
pub const KEYWORD_ARGUMENT: &str = "keyword_argument";
pub const PARENTHESIZED_EXPRESSION: &str = "parenthesized_expression";
pub const STRING: &str = "string";
pub const STRING_CONTENT: &str = "string_content";
pub const CONCATENATED_STRING: &str = "concatenated_string";
pub const INTEGER: &str = "integer";
pub const LIST: &str = "list";
pub const TUPLE: &str = "tuple";
pub const DICTIONARY: &str = "dictionary";
pub const PAIR: &str = "pair";
pub const CONSTRAINED_TYPE: &str = "constrained_type";
pub const TYPE_PARAMETER: &str = "type_parameter";
pub const TYPE: &str = "type";
pub const SUBSCRIPT: &str = "subscript";
pub const LAMBDA: &str = "lambda";
pub const FOR_IN_CLAUSE: &str = "for_in_clause";
pub const INTERPOLATION: &str = "interpolation";
pub const FORMAT_EXPRESSION: &str = "format_expression";
pub const BINARY_OPERATOR: &str = "binary_operator";
pub const UNARY_OPERATOR: &str = "unary_operator";

pub const TYPED_PARAMETER: &str = "typed_parameter";
pub const DEFAULT_PARAMETER: &str = "default_parameter";
pub const TYPED_DEFAULT_PARAMETER: &str = "typed_default_parameter";

pub const GENERATOR_EXPRESSION: &str = "generator_expression";
pub const COMPREHENSIONS: [&str; 4] = [
    "list_comprehension",
    "set_comprehension",
    "dictionary_comprehension",
    "generator_expression",
];
pub const CONTAINERS: [&str; 4] = ["list", "tuple", "set", "dictionary"];
/// Expressions after which `.name` binds to the whole expression.
pub const PRIMARY_EXPRESSIONS: [&str; 9] = [
    "identifier",
    "attribute",
    "call",
    "subscript",
    "parenthesized_expression",
    "list",
    "dictionary",
    "string",
    "integer",
];
/// Nodes inside which a line break needs no backslash (implicit line joining).
pub const BRACKETED: [&str; 12] = [
    "parenthesized_expression",
    "argument_list",
    "list",
    "tuple",
    "set",
    "dictionary",
    "subscript",
    "generator_expression",
    "list_comprehension",
    "set_comprehension",
    "dictionary_comprehension",
    "parameters",
];

// What CPython refuses and tree-sitter accepts (`tree_check.rs`).
pub const PRINT_STATEMENT: &str = "print_statement";
pub const EXEC_STATEMENT: &str = "exec_statement";
pub const CHEVRON: &str = "chevron";
pub const RAISE_STATEMENT: &str = "raise_statement";
pub const EXPRESSION_LIST: &str = "expression_list";
pub const BREAK_STATEMENT: &str = "break_statement";
pub const CONTINUE_STATEMENT: &str = "continue_statement";
pub const NONLOCAL_STATEMENT: &str = "nonlocal_statement";
pub const YIELD: &str = "yield";
pub const AWAIT: &str = "await";
/// The keyword of `async def`, `async for`, `async with` (an anonymous node).
pub const ASYNC_KEYWORD: &str = "async";
pub const COMMA: &str = ",";
pub const PARAMETERS: &str = "parameters";
pub const LAMBDA_PARAMETERS: &str = "lambda_parameters";
pub const TUPLE_PATTERN: &str = "tuple_pattern";
pub const LIST_SPLAT: &str = "list_splat";
pub const DICTIONARY_SPLAT: &str = "dictionary_splat";
pub const LIST_SPLAT_PATTERN: &str = "list_splat_pattern";
pub const DICTIONARY_SPLAT_PATTERN: &str = "dictionary_splat_pattern";
pub const KEYWORD_SEPARATOR: &str = "keyword_separator";
pub const NAMED_EXPRESSION: &str = "named_expression";
pub const PATTERN_LIST: &str = "pattern_list";
pub const LIST_PATTERN: &str = "list_pattern";

pub const COMPARISON_OPERATOR: &str = "comparison_operator";
pub const NOT_OPERATOR: &str = "not_operator";
pub const BOOLEAN_OPERATOR: &str = "boolean_operator";
pub const CONDITIONAL_EXPRESSION: &str = "conditional_expression";
pub const ASSERT_STATEMENT: &str = "assert_statement";

/// The name of the node kind `id`, from a table built once: tree-sitter's `Node::kind` measures
/// and checks the C string on every call, which the rules make millions of times per run.
pub fn name_of(id: u16) -> &'static str {
    static NAMES: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    let names = NAMES.get_or_init(|| {
        let language: tree_sitter::Language = tree_sitter_python::LANGUAGE.into();
        (0..language.node_kind_count())
            .map(|id| {
                u16::try_from(id)
                    .ok()
                    .and_then(|id| language.node_kind_for_id(id))
                    .unwrap_or("")
            })
            .collect()
    });
    match names.get(usize::from(id)) {
        Some(name) => name,
        // tree-sitter's error nodes have a kind id past the language's kinds.
        None if id == u16::MAX => "ERROR",
        None => "",
    }
}

/// The id of the field `name` (`left`, `body`...), from a table built once: tree-sitter's
/// `child_by_field_name` compares the name with every field's on each call.
pub fn field_id(name: &str) -> Option<u16> {
    static IDS: std::sync::OnceLock<std::collections::HashMap<&'static str, u16>> =
        std::sync::OnceLock::new();
    let ids = IDS.get_or_init(|| {
        let language: tree_sitter::Language = tree_sitter_python::LANGUAGE.into();
        (1..=language.field_count())
            .filter_map(|id| {
                let id = u16::try_from(id).ok()?;
                Some((language.field_name_for_id(id)?, id))
            })
            .collect()
    });
    ids.get(name).copied()
}

/// The name of the field `id`, from a table built once.
pub fn field_name(id: u16) -> Option<&'static str> {
    static NAMES: std::sync::OnceLock<Vec<Option<&'static str>>> = std::sync::OnceLock::new();
    let names = NAMES.get_or_init(|| {
        let language: tree_sitter::Language = tree_sitter_python::LANGUAGE.into();
        (0..=language.field_count())
            .map(|id| {
                u16::try_from(id)
                    .ok()
                    .and_then(|id| language.field_name_for_id(id))
            })
            .collect()
    });
    names.get(usize::from(id)).copied().flatten()
}

#[cfg(test)]
mod tests {
    #[test]
    fn field_ids_are_tree_sitters() {
        let tree = crate::parser::parse("x = f(a, b=1)\nfor i in y:\n    pass\n");
        let root = tree.root();
        for node in crate::walk::Preorder::new(root) {
            for name in [
                "left",
                "right",
                "function",
                "arguments",
                "name",
                "value",
                "body",
            ] {
                let by_id = super::field_id(name).and_then(|id| node.child_by_field_id(id));
                assert_eq!(by_id, node.child_by_field_name(name), "{name} of {node:?}");
            }
        }
        assert_eq!(super::field_id("no such field"), None);
    }

    #[test]
    fn the_table_names_every_node_as_tree_sitter_does() {
        let tree = crate::parser::parse(
            "import a as b\n@d\nasync def f(x: int = 1, *a, **k) -> None:\n    \"\"\"Doc.\"\"\"\n    \
             y = [i for i in x if i] or {k: v for k, v in x} or f'{x!r:>{w}}'\n    match y:\n        \
             case [1, *r] | {'k': _} as z if z:\n            return await y\n    with (a as b):\n        \
             lambda: (yield)\n    try:\n        pass\n    except* E as e:\n        raise e from None\n\
             print 'x'\n",
        );
        let mut count = 0;
        for node in crate::walk::Preorder::new(tree.root()) {
            assert_eq!(super::name_of(node.kind_id()), node.kind());
            count += 1;
        }
        assert!(count > 100, "{count}");
    }
}
