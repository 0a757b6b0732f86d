#include "base/slugs.h"
#include "checks/rule.h"

namespace pmtalint {

extern const Rule kTemplateFile{
    .code = "PMT0008",
    .slug = slug::kTemplateFile,
    .severity = Severity::Warning,
    .origin = RuleOrigin::Parser,
    .summary = "A template (Handlebars, Jinja, ${…}) rather than a configuration: lint its rendered output",
    .why = "Deployment tools generate PMTA configurations from templates: `{{#each vmtas}}` (Handlebars), "
           "`{% for ip in ips %}` and `{{ ip }}` (Jinja), `${HOSTNAME}` (shell, Ansible, Terraform). PMTA "
           "reads only the rendered file, so the template's own lines say nothing about the configuration "
           "it becomes. pmtalint reports such a file once, skips every line holding template syntax "
           "(a tag line keeps its block, so the lines inside are still read where they belong), and checks "
           "the rest. Render the template with representative values and lint the result.",
    .bad = "{{#each vmtas}}\n<virtual-mta {{name}}>\n    smtp-source-host {{ip}} {{host}}\n</virtual-mta>\n{{/each}}\n",
    .good = "<virtual-mta mta1>\n    smtp-source-host 192.0.2.10 mta1.example.net\n</virtual-mta>\n",
};

}  // namespace pmtalint
