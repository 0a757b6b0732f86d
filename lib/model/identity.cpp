#include "model/identity.h"

#include "base/text.h"

namespace pmtalint {
namespace {

std::vector<DkimKey> keys_in(const Model& model, uint32_t block, const std::string& scope) {
  std::vector<DkimKey> out;
  for (const uint32_t d : model.block(block).directives) {
    const ModelDirective& line = model.directives()[d];
    if (!line.info || line.info->name != "domain-key") continue;
    const auto fields = split_fields(model.value(line), ',');
    if (fields.size() != 3) continue;  // invalid-value reports it
    out.push_back({std::string(fields[0].text), std::string(fields[1].text), std::string(fields[2].text), scope, &line});
  }
  return out;
}

SendingIdentity identity_of(const Model& model, std::string_view vmta) {
  SendingIdentity out;
  out.vmta = vmta.empty() ? "{default}" : std::string(vmta);
  uint32_t block = kNoBlock;
  if (const auto& defs = model.definitions("virtual-mta", vmta); !vmta.empty() && !defs.empty()) block = defs.back();
  // The implicit {default} VMTA sends with the top-level lines.
  const uint32_t scope = block == kNoBlock ? kGlobalBlock : block;
  for (const uint32_t d : model.block(scope).directives) {
    const ModelDirective& line = model.directives()[d];
    if (!line.info || line.info->name != "smtp-source-host") continue;
    const auto words = model.words(line);
    if (words.empty()) continue;
    out.sources.push_back({std::string(model.text(line, words[0].span)),
                           words.size() >= 2 ? std::string(model.text(line, words[1].span)) : "", &line});
  }
  if (block != kNoBlock) out.host_name_line = model.last(block, "host-name");
  if (!out.host_name_line)  // at the top level the first host-name is the main name (directives.tsv)
    for (const uint32_t d : model.block(kGlobalBlock).directives)
      if (const ModelDirective& line = model.directives()[d]; line.info && line.info->name == "host-name") {
        out.host_name_line = &line;
        break;
      }
  if (out.host_name_line) out.host_name = std::string(trim(model.value(*out.host_name_line)));
  if (block != kNoBlock) {
    out.keys = keys_in(model, block, model.describe(block));
    for (const uint32_t pool : model.pools_of(vmta)) {
      out.pools.emplace_back(model.block(pool).argument);
      for (DkimKey& key : keys_in(model, pool, model.describe(pool))) out.keys.push_back(std::move(key));
    }
  }
  for (DkimKey& key : keys_in(model, kGlobalBlock, "top level")) out.keys.push_back(std::move(key));
  return out;
}

}  // namespace

std::vector<SendingIdentity> sending_identities(const Model& model, std::string_view vmta_or_pool) {
  const auto& pools = model.definitions("virtual-mta-pool", vmta_or_pool);
  if (vmta_or_pool.empty() || pools.empty()) return {identity_of(model, vmta_or_pool)};
  std::vector<SendingIdentity> out;
  for (const uint32_t d : model.block(pools.back()).directives) {
    const ModelDirective& line = model.directives()[d];
    if (line.info && line.info->name == "virtual-mta") out.push_back(identity_of(model, trim(model.value(line))));
  }
  return out;
}

}  // namespace pmtalint
