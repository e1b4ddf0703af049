// Reads Groovy sources (a Jenkinsfile, a Job DSL script) with Groovy's own compiler and prints,
// as one JSON object keyed by file, the tree of calls each is made of: name, line, positional
// and named arguments, the calls inside a trailing closure, and `NAME = value` assignments
// (a declarative `environment { }`). A file that does not compile gets {"error": "..."}
// instead. Used by test/jenkins/groovy-calls.ts; run: groovy CallTree.groovy FILE...
import groovy.json.JsonOutput
import org.codehaus.groovy.ast.expr.*
import org.codehaus.groovy.ast.stmt.*
import org.codehaus.groovy.control.CompilationFailedException
import org.codehaus.groovy.control.CompilationUnit
import org.codehaus.groovy.control.Phases

/** A literal as JSON; anything computed is kept as its source text, marked as such. */
def valueOf(Expression e) {
  switch (e) {
    case GStringExpression: return [kind: 'gstring', value: e.text]
    case ConstantExpression: return e.value instanceof String ? [kind: 'string', value: e.value] : [kind: 'literal', value: e.value]
    case MethodCallExpression: return [kind: 'call', call: callOf(e)]
    case ListExpression: return [kind: 'list', items: e.expressions.collect { valueOf(it) }]
    case VariableExpression: return [kind: 'word', value: e.name]
    default: return [kind: 'expression', value: e.text]
  }
}

// Not named call(): inside a closure that name is the closure's own call().
def callOf(MethodCallExpression e) {
  def node = [
    name: e.implicitThis ? e.methodAsString : "${e.objectExpression.text}.${e.methodAsString}".toString(),
    line: e.lineNumber, args: [], named: [:],
  ]
  def arguments = e.arguments instanceof TupleExpression ? e.arguments.expressions : [e.arguments]
  arguments.each { argument ->
    if (argument instanceof MapExpression) argument.mapEntryExpressions.each { node.named[it.keyExpression.text] = valueOf(it.valueExpression) }
    else if (argument instanceof ClosureExpression) node.block = statementsOf(argument.code)
    else node.args << valueOf(argument)
  }
  node
}

def statementsOf(Statement block) {
  (block instanceof BlockStatement ? block.statements : [block]).collect { statement ->
    def e = statement instanceof ExpressionStatement ? statement.expression : null
    if (e instanceof MethodCallExpression) return callOf(e)
    if (e instanceof BinaryExpression && e.operation.text == '=') {
      return [name: e.leftExpression.text, line: e.lineNumber, args: [], named: [:], assigned: valueOf(e.rightExpression)]
    }
    // Control flow and the like: named so that a reader can refuse what it does not know.
    [name: "<${statement.class.simpleName}>".toString(), line: statement.lineNumber, args: [], named: [:]]
  }
}

def trees = [:]
args.each { path ->
  def unit = new CompilationUnit()
  def source = unit.addSource(new File(path))
  try {
    // Through class resolution: syntax errors, and references to classes that do not exist.
    unit.compile(Phases.SEMANTIC_ANALYSIS)
    trees[path] = [calls: statementsOf(source.AST.statementBlock)]
  } catch (CompilationFailedException failure) {
    trees[path] = [error: failure.message]
  }
}
println JsonOutput.toJson(trees)
